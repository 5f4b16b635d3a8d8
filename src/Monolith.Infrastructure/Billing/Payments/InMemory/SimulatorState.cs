using System.Globalization;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>Receives each batch of events a simulator operation produced, after the state lock is released.</summary>
public interface ISimulatorEventSink
{
    void Publish(IReadOnlyList<SimulatorEvent> batch);
}

/// <summary>
/// The provider's side of the world, in memory: customers, checkout sessions, subscriptions, invoices, payments and
/// refunds, behind one lock. Every mutation stamps the simulated time (strictly increasing) and emits its events.
/// </summary>
public sealed class SimulatorState(PlanCatalog catalog, TimeProvider time, ISimulatorEventSink sink)
{
    public static readonly TimeSpan CheckoutLifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan DunningInterval = TimeSpan.FromDays(3);
    public const int MaxInvoiceAttempts = 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimCustomer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimCheckoutSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimInvoice> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimPayment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Fingerprint, object Result)> _idempotency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string CustomerId, Uri ReturnUrl)> _portalSessions = new(StringComparer.Ordinal);
    private readonly List<SimUsage> _usage = [];
    private readonly List<SimulatorEvent> _pending = [];
    private TimeSpan _offset;
    private DateTimeOffset? _processingAt;
    private DateTimeOffset _lastStamp = DateTimeOffset.MinValue;

    internal PlanCatalog Catalog => catalog;

    /// <summary>Simulated now: real now plus the test clock's offset.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return Current;
            }
        }
    }

    /// <summary>
    /// Whole milliseconds, like a real provider's whole seconds: provider timestamps are stored (PostgreSQL keeps
    /// microseconds) and compared for recency, so they must survive a round trip through the database unchanged.
    /// </summary>
    private DateTimeOffset Current => WholeMilliseconds(_processingAt ?? time.GetUtcNow() + _offset);

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), at.Offset);

    // ---- customers ------------------------------------------------------------------------------------------------

    internal Result<string> CreateCustomer(CreateCustomerRequest request, string idempotencyKey) =>
        Mutate("customer", idempotencyKey, $"{request.BillingAccountId}|{request.Email}|{request.Name}", () =>
        {
            var customer = new SimCustomer(NewId("cus"), request.BillingAccountId, request.Email, request.Name);
            _customers.Add(customer.Id, customer);
            return Result.Success(customer.Id);
        });

    /// <summary>The app brings the customer in line with its name and billing email: emits <c>customer.updated</c> (as Stripe does).</summary>
    internal Result UpdateCustomer(string customerId, CreateCustomerRequest request, string idempotencyKey) =>
        Mutate("customer-update", idempotencyKey, $"{customerId}|{request.BillingAccountId}|{request.Email}|{request.Name}", () =>
        {
            if (!_customers.TryGetValue(customerId, out var customer))
            {
                return PaymentsErrors.NotFound;
            }

            customer.Email = request.Email ?? customer.Email;
            customer.Name = request.Name ?? customer.Name;
            Emit(SimulatorEventTypes.CustomerUpdated, Stamp(), CustomerData(customer));
            return Result.Success(true);
        }).ToUnit();

    /// <summary>The customer changes their email at the provider (e.g. in its portal): emits <c>customer.updated</c>.</summary>
    public Result ChangeCustomerEmail(string customerId, string email) => Run<Result>(() =>
    {
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return PaymentsErrors.NotFound;
        }

        customer.Email = email;
        Emit(SimulatorEventTypes.CustomerUpdated, Stamp(), CustomerData(customer));
        return Result.Success();
    });

    public Result SetDefaultCardOutcome(string customerId, CardOutcome outcome)
    {
        lock (_gate)
        {
            if (!_customers.TryGetValue(customerId, out var customer))
            {
                return PaymentsErrors.NotFound;
            }

            customer.DefaultCard = (customer.DefaultCard ?? new SimulatorCard("visa", "4242", outcome)) with
            {
                Outcome = outcome,
                Last4 = outcome switch
                {
                    CardOutcome.Declined => "0002",
                    CardOutcome.InsufficientFunds => "9995",
                    CardOutcome.RequiresAuthentication => "3155",
                    _ => "4242",
                },
            };
            return Result.Success();
        }
    }

    public IReadOnlyList<SimulatorCustomerView> ListCustomers()
    {
        lock (_gate)
        {
            return _customers.Values.Select(CustomerView).ToList();
        }
    }

    public SimulatorCustomerView? FindCustomer(string customerId)
    {
        lock (_gate)
        {
            return _customers.TryGetValue(customerId, out var c) ? CustomerView(c) : null;
        }
    }

    private SimulatorCustomerView CustomerView(SimCustomer c) =>
        new(c.Id, c.Email, c.DefaultCard, _subscriptions.Values.Where(s => s.Customer == c)
            .Select(s => new SimulatorSubscriptionView(s.Id, c.Id, SimulatorJson.StatusName(s.Status), s.ProviderPriceId, s.Quantity,
                s.PeriodStart, s.PeriodEnd, s.CancelAtPeriodEnd))
            .ToList(), c.Name);

    // ---- checkout ---------------------------------------------------------------------------------------------------

    internal Result<(string SessionId, DateTimeOffset ExpiresAt)> CreateCheckoutSession(CreateCheckoutRequest request, string idempotencyKey)
    {
        var fingerprint = string.Join('|', request.BillingAccountId, request.CustomerId, request.Mode, request.ProviderPriceId,
            request.Quantity, request.TrialDays, request.SuccessUrl, request.CancelUrl);
        return Mutate("checkout", idempotencyKey, fingerprint, () =>
        {
            if (!_customers.TryGetValue(request.CustomerId, out var customer))
            {
                return PaymentsErrors.InvalidRequest($"No such customer: '{request.CustomerId}'.");
            }

            var price = catalog.FindByProviderPriceId(BillingProvider.InMemory, request.ProviderPriceId);
            if (price.IsFailure)
            {
                return PaymentsErrors.InvalidRequest($"No such price: '{request.ProviderPriceId}'.");
            }

            if (request.Quantity < 1 || (request.Mode == CheckoutMode.Subscription) != price.Value.IsRecurring)
            {
                return PaymentsErrors.InvalidRequest("The checkout mode, price interval or quantity do not fit together.");
            }

            var session = new SimCheckoutSession
            {
                Id = NewId("cs"),
                Customer = customer,
                AccountId = request.BillingAccountId,
                Mode = request.Mode,
                ProviderPriceId = request.ProviderPriceId,
                Price = price.Value,
                Quantity = request.Quantity,
                TrialDays = request.TrialDays is > 0 ? request.TrialDays : null,
                SuccessUrl = request.SuccessUrl,
                CancelUrl = request.CancelUrl,
                ExpiresAt = Current + CheckoutLifetime,
            };
            _sessions.Add(session.Id, session);
            return Result.Success((session.Id, session.ExpiresAt));
        });
    }

    public SimulatorCheckoutView? FindCheckout(string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var s))
            {
                return null;
            }

            var interval = s.Price.Interval switch
            {
                BillingInterval.Month => "month",
                BillingInterval.Year => "year",
                _ => "one_time",
            };
            return new SimulatorCheckoutView(s.Id, s.Price.PlanId, s.Price.Id, s.AmountMinor, s.Price.Amount.Currency, interval,
                s.Quantity, s.TrialDays, s.Status.ToString().ToLowerInvariant(), s.AwaitingAuthentication is not null, s.CancelUrl,
                s.Customer.Email);
        }
    }

    /// <summary>The hosted page's "Pay" button. Only the card's last four digits and its outcome are kept.</summary>
    public CheckoutAttempt SubmitCard(string sessionId, string? cardNumber) => Run(() =>
    {
        if (OpenSession(sessionId) is not { } session)
        {
            return CheckoutAttempt.Failed("This checkout session is no longer open.");
        }

        if (SimulatorCard.FromNumber(cardNumber) is not { } card)
        {
            return CheckoutAttempt.Failed("Use one of the test cards listed on this page.");
        }

        if (card.Outcome == CardOutcome.RequiresAuthentication)
        {
            session.AwaitingAuthentication = card;
            return CheckoutAttempt.Authenticate();
        }

        return Charge(session, card);
    });

    /// <summary>The 3-D Secure step: approve charges the card, fail records a failed payment.</summary>
    public CheckoutAttempt CompleteAuthentication(string sessionId, bool approve) => Run(() =>
    {
        if (OpenSession(sessionId) is not { AwaitingAuthentication: { } card } session)
        {
            return CheckoutAttempt.Failed("There is no authentication waiting for this checkout.");
        }

        session.AwaitingAuthentication = null;
        return approve
            ? Charge(session, card)
            : Charge(session, card with { Outcome = CardOutcome.Declined }, "authentication_failed", "The card was not authenticated.");
    });

    private SimCheckoutSession? OpenSession(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var s) && s.Status == CheckoutStatus.Open && s.ExpiresAt > Current ? s : null;

    private CheckoutAttempt Charge(SimCheckoutSession session, SimulatorCard card, string? failureCode = null, string? failureMessage = null)
    {
        var at = Stamp();
        var amount = session.AmountMinor;
        var currency = session.Price.Amount.Currency;
        var trial = session.Mode == CheckoutMode.Subscription && session.TrialDays is > 0;
        var succeeds = card.Outcome is CardOutcome.Succeeds or CardOutcome.RequiresAuthentication;

        if (!succeeds)
        {
            if (amount > 0 && !trial)
            {
                // Payment mode keeps one payment per session (a retry may still succeed); a failed subscription
                // attempt is its own payment, never tied to an invoice that does not exist yet.
                var failed = session.Mode == CheckoutMode.Payment
                    ? PaymentFor(session, amount, currency)
                    : NewPayment(session.Customer, session.AccountId, PaymentKind.Invoice, null, amount, currency);
                failed.Status = "requires_payment_method";
                failed.FailureCode = failureCode ?? card.FailureCode;
                failed.UpdatedAt = at;
                Emit(SimulatorEventTypes.PaymentFailed, at, PaymentData(failed));
            }

            return CheckoutAttempt.Failed(failureMessage ?? card.FailureMessage);
        }

        session.Customer.DefaultCard = card;
        if (session.Mode == CheckoutMode.Payment)
        {
            var payment = PaymentFor(session, amount, currency);
            Succeed(payment, at);
            session.ResultId = payment.Id;
            Emit(SimulatorEventTypes.PaymentSucceeded, at, PaymentData(payment));
        }
        else
        {
            var end = trial ? at.AddDays(session.TrialDays!.Value) : AddInterval(at, session.Price.Interval);
            var subscription = new SimSubscription
            {
                Id = NewId("sub"),
                Customer = session.Customer,
                AccountId = session.AccountId,
                ProviderPriceId = session.ProviderPriceId,
                Price = session.Price,
                Quantity = session.Quantity,
                Status = trial ? SubscriptionStatus.Trialing : SubscriptionStatus.Active,
                PeriodStart = at,
                PeriodEnd = end,
                TrialEnd = trial ? end : null,
                UpdatedAt = at,
            };
            _subscriptions.Add(subscription.Id, subscription);
            session.ResultId = subscription.Id;
            Emit(SimulatorEventTypes.SubscriptionCreated, at, SubscriptionData(subscription));
            var invoice = NewInvoice(subscription, trial ? 0 : amount, at, end);
            ChargeInvoice(invoice, card, at);
        }

        session.Status = CheckoutStatus.Complete;
        Emit(SimulatorEventTypes.CheckoutCompleted, at, CheckoutData(session));
        return CheckoutAttempt.Completed(SuccessRedirect(session));
    }

    private static Uri SuccessRedirect(SimCheckoutSession session)
    {
        var url = session.SuccessUrl.ToString().Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal);
        if (url.Contains("session_id=", StringComparison.Ordinal))
        {
            return new Uri(url);
        }

        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri($"{url}{separator}session_id={Uri.EscapeDataString(session.Id)}");
    }

    private SimPayment PaymentFor(SimCheckoutSession session, long amount, string currency)
    {
        if (session.PaymentId is { } id)
        {
            return _payments[id];
        }

        var payment = NewPayment(session.Customer, session.AccountId, PaymentKind.OneTime, null, amount, currency);
        session.PaymentId = payment.Id;
        return payment;
    }

    // ---- subscription operations -------------------------------------------------------------------------------------

    internal Result CancelSubscription(string subscriptionId, bool atPeriodEnd, string idempotencyKey) =>
        Mutate("cancel", idempotencyKey, $"{subscriptionId}|{atPeriodEnd}", () =>
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var s))
            {
                return PaymentsErrors.NotFound;
            }

            if (s.IsEnded)
            {
                return PaymentsErrors.InvalidRequest("The subscription has already ended.");
            }

            var at = Stamp();
            if (atPeriodEnd)
            {
                s.CancelAtPeriodEnd = true;
                s.UpdatedAt = at;
                Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
            }
            else
            {
                End(s, at);
            }

            return Result.Success(true);
        }).ToUnit();

    public Result SetCancelAtPeriodEnd(string subscriptionId, bool cancel) =>
        cancel ? CancelSubscription(subscriptionId, true, NewId("portal")) : ResumeSubscription(subscriptionId, NewId("portal"));

    /// <summary>
    /// Pauses collection (like Stripe's pause_collection from its dashboard or portal): the subscription is paused, is
    /// not renewed or charged while paused, and <paramref name="paused"/> false makes it active again.
    /// </summary>
    public Result PauseCollection(string subscriptionId, bool paused) =>
        Mutate("pause", NewId("pause"), $"{subscriptionId}|{paused}", () =>
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var s))
            {
                return PaymentsErrors.NotFound;
            }

            if (s.IsEnded || (paused ? s.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Trialing or SubscriptionStatus.PastDue) : s.Status != SubscriptionStatus.Paused))
            {
                return PaymentsErrors.InvalidRequest(paused ? "Only a live, collecting subscription can be paused." : "The subscription is not paused.");
            }

            var at = Stamp();
            s.Status = paused ? SubscriptionStatus.Paused : SubscriptionStatus.Active;
            s.UpdatedAt = at;
            Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
            return Result.Success(true);
        }).ToUnit();

    internal Result ResumeSubscription(string subscriptionId, string idempotencyKey) =>
        Mutate("resume", idempotencyKey, subscriptionId, () =>
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var s))
            {
                return PaymentsErrors.NotFound;
            }

            if (s.IsEnded)
            {
                return PaymentsErrors.InvalidRequest("An ended subscription cannot be resumed.");
            }

            if (s.CancelAtPeriodEnd)
            {
                var at = Stamp();
                s.CancelAtPeriodEnd = false;
                s.UpdatedAt = at;
                Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
            }

            return Result.Success(true);
        }).ToUnit();

    internal Result ChangeSubscription(ChangeSubscriptionRequest request, string idempotencyKey) =>
        Mutate("change", idempotencyKey, $"{request.ProviderSubscriptionId}|{request.ProviderPriceId}|{request.Quantity}|{request.Proration}", () =>
        {
            if (!_subscriptions.TryGetValue(request.ProviderSubscriptionId, out var s))
            {
                return PaymentsErrors.NotFound;
            }

            var price = catalog.FindByProviderPriceId(BillingProvider.InMemory, request.ProviderPriceId);
            if (s.IsEnded || price.IsFailure || !price.Value.IsRecurring || request.Quantity < 1 ||
                price.Value.Amount.Currency != s.Price.Amount.Currency)
            {
                return PaymentsErrors.InvalidRequest("The subscription cannot change to this price or quantity.");
            }

            var at = Stamp();
            var newAmount = price.Value.Amount.AmountMinor * request.Quantity;
            var total = (s.PeriodEnd - s.PeriodStart).Ticks;
            var remaining = Math.Max(0, (s.PeriodEnd - at).Ticks);
            var prorated = total <= 0 ? 0 : (long)Math.Round((double)(newAmount - s.AmountMinor) * remaining / total, MidpointRounding.AwayFromZero);
            if (request.Proration == ProrationMode.AlwaysInvoice && prorated > 0 && s.Status != SubscriptionStatus.Trialing)
            {
                if (s.Customer.DefaultCard is not { ChargesOffSession: true } card)
                {
                    return PaymentsErrors.CardDeclined((s.Customer.DefaultCard ?? new SimulatorCard("visa", "0000", CardOutcome.Declined)).FailureMessage);
                }

                var invoice = NewInvoice(s, prorated, at, s.PeriodEnd);
                ChargeInvoice(invoice, card, at);
            }

            s.ProviderPriceId = request.ProviderPriceId;
            s.Price = price.Value;
            s.Quantity = request.Quantity;
            s.UpdatedAt = at;
            Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
            return Result.Success(true);
        }).ToUnit();

    internal Result<ProviderRefund> Refund(RefundRequest request, string idempotencyKey) =>
        Mutate("refund", idempotencyKey, $"{request.ProviderPaymentId}|{request.AmountMinor}|{request.Currency}|{request.Reason}", () =>
        {
            if (!_payments.TryGetValue(request.ProviderPaymentId, out var p))
            {
                return PaymentsErrors.NotFound;
            }

            if (p.Status != "succeeded" || request.AmountMinor <= 0 || request.AmountMinor > p.Amount - p.Refunded ||
                !string.Equals(p.Currency, request.Currency, StringComparison.OrdinalIgnoreCase))
            {
                return PaymentsErrors.InvalidRequest("The refund exceeds what was captured, or the payment cannot be refunded.");
            }

            var at = Stamp();
            var refund = new SimRefund(NewId("re"), p.Id, request.AmountMinor, p.Currency, request.Reason, at);
            p.Refunds.Add(refund);
            p.UpdatedAt = at;
            Emit(SimulatorEventTypes.ChargeRefunded, at, RefundData(refund));
            return Result.Success(new ProviderRefund(refund.Id, refund.Amount, refund.Currency, "succeeded"));
        });

    internal Result ReportUsage(UsageReport report, string idempotencyKey) =>
        Mutate("usage", idempotencyKey, $"{report.CustomerId}|{report.FeatureId}|{report.Quantity}|{report.At:O}", () =>
        {
            if (!_customers.ContainsKey(report.CustomerId))
            {
                return PaymentsErrors.NotFound;
            }

            _usage.Add(new SimUsage(report.CustomerId, report.FeatureId, report.Quantity, report.At));
            return Result.Success(true);
        }).ToUnit();

    internal Result<string> CreatePortalSession(string customerId, Uri returnUrl)
    {
        lock (_gate)
        {
            if (!_customers.ContainsKey(customerId))
            {
                return PaymentsErrors.NotFound;
            }

            var id = NewId("bps");
            _portalSessions.Add(id, (customerId, returnUrl));
            return id;
        }
    }

    public (string CustomerId, Uri ReturnUrl)? FindPortalSession(string portalSessionId)
    {
        lock (_gate)
        {
            return _portalSessions.TryGetValue(portalSessionId, out var p) ? p : null;
        }
    }

    // ---- reads for reconciliation ------------------------------------------------------------------------------------

    /// <summary>The provider's current truth about one object, as event bodies (normalized by the caller).</summary>
    internal Result<IReadOnlyList<SimulatorEvent>> Snapshot(ProviderObjectRef reference)
    {
        lock (_gate)
        {
            var events = new List<SimulatorEvent>();
            switch (reference.Kind)
            {
                case ProviderObjectKind.Subscription when _subscriptions.TryGetValue(reference.ProviderId, out var s):
                    events.Add(Build(s.IsEnded ? SimulatorEventTypes.SubscriptionDeleted : SimulatorEventTypes.SubscriptionUpdated,
                        s.UpdatedAt, SubscriptionData(s), $"evt_fetch_{s.Id}_{s.UpdatedAt.UtcTicks}"));
                    break;
                case ProviderObjectKind.Payment when _payments.TryGetValue(reference.ProviderId, out var p):
                    if (p.Status == "succeeded" || p.FailureCode is not null)
                    {
                        events.Add(Build(p.Status == "succeeded" ? SimulatorEventTypes.PaymentSucceeded : SimulatorEventTypes.PaymentFailed,
                            p.UpdatedAt, PaymentData(p), $"evt_fetch_{p.Id}_{p.UpdatedAt.UtcTicks}"));
                    }

                    events.AddRange(p.Refunds.Select(r =>
                        Build(SimulatorEventTypes.ChargeRefunded, r.CreatedAt, RefundData(r), $"evt_fetch_{r.Id}")));
                    break;
                case ProviderObjectKind.CheckoutSession when _sessions.TryGetValue(reference.ProviderId, out var c):
                    if (c.Status != CheckoutStatus.Open)
                    {
                        events.Add(Build(c.Status == CheckoutStatus.Complete ? SimulatorEventTypes.CheckoutCompleted : SimulatorEventTypes.CheckoutExpired,
                            c.ExpiresAt, CheckoutData(c), $"evt_fetch_{c.Id}"));
                    }

                    break;
                default:
                    return PaymentsErrors.NotFound;
            }

            return events;
        }
    }

    // ---- the test clock --------------------------------------------------------------------------------------------

    /// <summary>
    /// Moves simulated time forward, processing everything that falls due in order, each at its own due time:
    /// checkout expiry, renewals and trial ends, dunning retries, cancellations at period end.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Run(() =>
        {
            var target = Current + by;
            for (var guard = 0; guard < 10_000; guard++)
            {
                var next = NextDue(target);
                if (next is null)
                {
                    break;
                }

                _processingAt = next.Value.At;
                next.Value.Process();
                _processingAt = null;
            }

            _offset += by;
            return true;
        });
    }

    private (DateTimeOffset At, Action Process)? NextDue(DateTimeOffset target)
    {
        (DateTimeOffset At, Action Process)? best = null;
        void Consider(DateTimeOffset at, Action process)
        {
            if (at <= target && (best is null || at < best.Value.At))
            {
                best = (at, process);
            }
        }

        foreach (var session in _sessions.Values.Where(s => s.Status == CheckoutStatus.Open))
        {
            Consider(session.ExpiresAt, () => Expire(session));
        }

        foreach (var s in _subscriptions.Values.Where(s => !s.IsEnded))
        {
            if (s.Status is SubscriptionStatus.Active or SubscriptionStatus.Trialing || s.CancelAtPeriodEnd)
            {
                Consider(s.PeriodEnd, () => Renew(s));
            }

            if (s.NextRetryAt is { } retry)
            {
                Consider(retry, () => Retry(s));
            }
        }

        return best;
    }

    private void Expire(SimCheckoutSession session)
    {
        var at = Stamp();
        session.Status = CheckoutStatus.Expired;
        session.AwaitingAuthentication = null;
        Emit(SimulatorEventTypes.CheckoutExpired, at, CheckoutData(session));
    }

    private void Renew(SimSubscription s)
    {
        var at = Stamp();
        if (s.CancelAtPeriodEnd)
        {
            End(s, at);
            return;
        }

        var start = s.PeriodEnd;
        var end = AddInterval(start, s.Price.Interval);
        var invoice = NewInvoice(s, s.AmountMinor, start, end);
        s.PeriodStart = start;
        s.PeriodEnd = end;
        var paid = ChargeInvoice(invoice, s.Customer.DefaultCard, at);
        s.Status = paid ? SubscriptionStatus.Active : SubscriptionStatus.PastDue;
        s.OpenInvoiceId = paid ? null : invoice.Id;
        s.NextRetryAt = paid ? null : at + DunningInterval;
        s.UpdatedAt = at;
        Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
    }

    private void Retry(SimSubscription s)
    {
        var at = Stamp();
        if (s.OpenInvoiceId is not { } invoiceId || !_invoices.TryGetValue(invoiceId, out var invoice))
        {
            s.NextRetryAt = null;
            return;
        }

        if (ChargeInvoice(invoice, s.Customer.DefaultCard, at))
        {
            s.Status = SubscriptionStatus.Active;
            s.OpenInvoiceId = null;
            s.NextRetryAt = null;
        }
        else if (invoice.AttemptCount >= MaxInvoiceAttempts)
        {
            s.Status = SubscriptionStatus.Unpaid;
            s.NextRetryAt = null;
        }
        else
        {
            s.NextRetryAt = at + DunningInterval;
            return;
        }

        s.UpdatedAt = at;
        Emit(SimulatorEventTypes.SubscriptionUpdated, at, SubscriptionData(s));
    }

    private void End(SimSubscription s, DateTimeOffset at)
    {
        s.Status = SubscriptionStatus.Canceled;
        s.CanceledAt ??= at;
        s.EndedAt = at;
        s.NextRetryAt = null;
        s.UpdatedAt = at;
        Emit(SimulatorEventTypes.SubscriptionDeleted, at, SubscriptionData(s));
    }

    // ---- invoices and payments ---------------------------------------------------------------------------------------

    private SimInvoice NewInvoice(SimSubscription s, long amount, DateTimeOffset start, DateTimeOffset end)
    {
        var invoice = new SimInvoice
        {
            Id = NewId("in"),
            Customer = s.Customer,
            AccountId = s.AccountId,
            SubscriptionId = s.Id,
            AmountDue = amount,
            Currency = s.Price.Amount.Currency,
            PeriodStart = start,
            PeriodEnd = end,
        };
        _invoices.Add(invoice.Id, invoice);
        return invoice;
    }

    /// <summary>One collection attempt: emits invoice.paid/payment_failed and the payment's event. True when paid.</summary>
    private bool ChargeInvoice(SimInvoice invoice, SimulatorCard? card, DateTimeOffset at)
    {
        invoice.AttemptCount++;
        if (invoice.AmountDue == 0)
        {
            invoice.Status = "paid";
            Emit(SimulatorEventTypes.InvoicePaid, at, InvoiceData(invoice));
            return true;
        }

        var payment = invoice.PaymentId is { } id
            ? _payments[id]
            : NewPayment(invoice.Customer, invoice.AccountId, PaymentKind.Invoice, invoice.Id, invoice.AmountDue, invoice.Currency);
        invoice.PaymentId = payment.Id;
        if (card is { ChargesOffSession: true })
        {
            Succeed(payment, at);
            invoice.AmountPaid = invoice.AmountDue;
            invoice.Status = "paid";
            Emit(SimulatorEventTypes.InvoicePaid, at, InvoiceData(invoice));
            Emit(SimulatorEventTypes.PaymentSucceeded, at, PaymentData(payment));
            return true;
        }

        payment.Status = "requires_payment_method";
        payment.FailureCode = card?.FailureCode ?? "card_declined";
        payment.UpdatedAt = at;
        Emit(SimulatorEventTypes.InvoicePaymentFailed, at, InvoiceData(invoice));
        Emit(SimulatorEventTypes.PaymentFailed, at, PaymentData(payment));
        return false;
    }

    private SimPayment NewPayment(SimCustomer customer, Guid accountId, PaymentKind kind, string? invoiceId, long amount, string currency)
    {
        var payment = new SimPayment
        {
            Id = NewId("pi"),
            Customer = customer,
            AccountId = accountId,
            Kind = kind,
            InvoiceId = invoiceId,
            Amount = amount,
            Currency = currency,
        };
        _payments.Add(payment.Id, payment);
        return payment;
    }

    private static void Succeed(SimPayment payment, DateTimeOffset at)
    {
        payment.Status = "succeeded";
        payment.ChargeId ??= NewId("ch");
        payment.FailureCode = null;
        payment.UpdatedAt = at;
    }

    private static DateTimeOffset AddInterval(DateTimeOffset start, BillingInterval interval) =>
        interval == BillingInterval.Year ? start.AddYears(1) : start.AddMonths(1);

    // ---- payloads ----------------------------------------------------------------------------------------------------

    private static CheckoutData CheckoutData(SimCheckoutSession s) =>
        new(s.Id, s.Customer.Id, s.AccountId, s.Mode == CheckoutMode.Payment ? "payment" : "subscription", s.ProviderPriceId,
            s.Mode == CheckoutMode.Subscription ? s.ResultId : null, s.Mode == CheckoutMode.Payment ? s.ResultId : s.PaymentId,
            s.Status.ToString().ToLowerInvariant());

    private static SubscriptionData SubscriptionData(SimSubscription s) =>
        new(s.Id, s.Customer.Id, s.AccountId, SimulatorJson.StatusName(s.Status), s.ProviderPriceId, s.Quantity, s.PeriodStart, s.PeriodEnd,
            s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.EndedAt, s.UpdatedAt);

    private static InvoiceData InvoiceData(SimInvoice i) =>
        new(i.Id, i.Customer.Id, i.AccountId, i.SubscriptionId, i.AmountDue, i.AmountPaid, i.Currency, i.PeriodStart, i.PeriodEnd,
            i.AttemptCount, i.Status);

    private static PaymentData PaymentData(SimPayment p) =>
        new(p.Id, p.Customer.Id, p.AccountId, p.Kind == PaymentKind.Invoice ? "invoice" : "one_time", p.InvoiceId, p.Amount, p.Currency,
            p.Status, p.ChargeId, p.Status == "succeeded" ? p.Amount : 0, p.FailureCode);

    private static CustomerData CustomerData(SimCustomer c) => new(c.Id, c.AccountId, c.Email, c.Name);

    private static RefundData RefundData(SimRefund r) => new(r.Id, r.PaymentId, r.Amount, r.Currency, r.Reason, r.CreatedAt);

    // ---- plumbing ----------------------------------------------------------------------------------------------------

    /// <summary>A strictly increasing simulated timestamp, so two snapshots of one object never share a time.</summary>
    private DateTimeOffset Stamp()
    {
        var now = Current;
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp;
    }

    private void Emit(string type, DateTimeOffset at, object data) => _pending.Add(Build(type, at, data, NewId("evt")));

    private static SimulatorEvent Build(string type, DateTimeOffset at, object data, string id) =>
        new(id, type, at, SimulatorJson.Envelope(id, type, at, data));

    /// <summary>Runs under the lock, then publishes the events it emitted (outside the lock).</summary>
    private T Run<T>(Func<T> action)
    {
        T result;
        SimulatorEvent[] batch;
        lock (_gate)
        {
            try
            {
                result = action();
            }
            finally
            {
                _processingAt = null;
                batch = [.. _pending];
                _pending.Clear();
            }
        }

        if (batch.Length > 0)
        {
            sink.Publish(batch);
        }

        return result;
    }

    /// <summary>Stripe's idempotency: the same key returns the stored result; the same key with other parameters is refused.</summary>
    private Result<T> Mutate<T>(string operation, string idempotencyKey, string fingerprint, Func<Result<T>> action) => Run(() =>
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            return PaymentsErrors.InvalidRequest("An idempotency key is required.");
        }

        var key = $"{operation}:{idempotencyKey}";
        if (_idempotency.TryGetValue(key, out var stored))
        {
            return stored.Fingerprint == fingerprint
                ? (Result<T>)stored.Result
                : PaymentsErrors.InvalidRequest("The idempotency key was already used with other parameters.");
        }

        var result = action();
        if (result.IsSuccess || result.Error.Kind != ErrorKind.Upstream)
        {
            _idempotency[key] = (fingerprint, result);
        }

        return result;
    });

    private static string NewId(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Guid.NewGuid():N}");
}

internal static class SimulatorResultExtensions
{
    public static Result ToUnit(this Result<bool> result) => result.IsSuccess ? Result.Success() : result.Error;
}
