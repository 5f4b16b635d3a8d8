using System.Globalization;
using System.Text;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Stripe;
using BillingPortal = Stripe.BillingPortal;
using Checkout = Stripe.Checkout;
using Meters = Stripe.Billing;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// <see cref="IPaymentsPort"/> on the Stripe.net SDK (<c>Payments:Provider=Stripe</c>), through the one configured
/// <see cref="global::Stripe.StripeClient"/>. Every POST carries the port's idempotency key in
/// <see cref="RequestOptions.IdempotencyKey"/> (Stripe.net sends it on each of its retries); a use case that needs
/// several calls derives one key per step. Webhooks are verified against every configured signing secret before
/// anything is parsed; <see cref="FetchAsync"/> returns the same normalized events a webhook would carry.
/// </summary>
internal sealed class StripePaymentsPort(
    global::Stripe.StripeClient stripe, StripeCall call, StripePaymentsOptions options, PlanCatalog catalog, TimeProvider clock) : IPaymentsPort
{
    public const string CheckoutSessionPlaceholder = "session_id={CHECKOUT_SESSION_ID}";

    /// <summary>A period-end change of a subscription that ends at its period end would never take effect.</summary>
    public static readonly Error CancelScheduled = Error.Rule(
        "billing.subscription.cancel_scheduled", "The subscription ends at the end of its period; resume it before changing the plan.");

    private static readonly string[] RefundReasons = ["duplicate", "fraudulent", "requested_by_customer"];

    private readonly StripeEventNormalizer _normalizer = new(catalog);

    public string Provider => BillingProvider.Stripe;

    public PaymentsCapabilities Capabilities { get; } = new(SupportsMetering: true, IsMerchantOfRecord: false, SupportsPortal: true);

    private V1Services V1 => stripe.V1;

    public async Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await call.RunAsync("create_customer", ct => V1.Customers.CreateAsync(
            new CustomerCreateOptions { Email = request.Email, Name = request.Name, Metadata = CustomerMetadata(request) },
            Key(idempotencyKey), ct), cancellationToken);
        return created.IsFailure ? created.Error : Required(created.Value.Id);
    }

    public Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return call.ExecuteAsync("update_customer", ct => V1.Customers.UpdateAsync(
            customerId,
            new CustomerUpdateOptions { Email = request.Email, Name = request.Name, Metadata = CustomerMetadata(request) },
            Key(idempotencyKey), ct), cancellationToken);
    }

    public async Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = Id(request.BillingAccountId);
        var attribution = new Dictionary<string, string> { [StripeEventNormalizer.AccountMetadataKey] = account };
        var options = new Checkout.SessionCreateOptions
        {
            Mode = request.Mode == CheckoutMode.Payment ? "payment" : "subscription",
            Customer = request.CustomerId,
            ClientReferenceId = account,
            LineItems = [new Checkout.SessionLineItemOptions { Price = request.ProviderPriceId, Quantity = request.Quantity }],
            SuccessUrl = SuccessUrl(request.SuccessUrl),
            CancelUrl = request.CancelUrl.AbsoluteUri,
            Metadata = attribution,
            AllowPromotionCodes = request.AllowPromotionCodes ? true : null,
        };
        if (request.Mode == CheckoutMode.Subscription)
        {
            options.SubscriptionData = new Checkout.SessionSubscriptionDataOptions
            {
                Metadata = new Dictionary<string, string>(attribution),
                TrialPeriodDays = request.TrialDays is > 0 and var days ? days : null,
            };
        }
        else
        {
            options.PaymentIntentData = new Checkout.SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(attribution) };
        }

        if (request.AutomaticTax)
        {
            options.AutomaticTax = new Checkout.SessionAutomaticTaxOptions { Enabled = true };
            options.CustomerUpdate = new Checkout.SessionCustomerUpdateOptions { Address = "auto" };
        }

        var session = await call.RunAsync("create_checkout_session", ct => V1.Checkout.Sessions.CreateAsync(options, Key(idempotencyKey), ct), cancellationToken);
        if (session.IsFailure)
        {
            return session.Error;
        }

        var s = session.Value;
        return s.Id is { } id && Uri.TryCreate(s.Url, UriKind.Absolute, out var url)
            ? new HostedCheckout(id, url, s.ExpiresAt == default ? clock.GetUtcNow().AddHours(24) : Utc(s.ExpiresAt))
            : PaymentsErrors.ProviderUnavailable;
    }

    /// <summary>A read-only link: no key of ours (Stripe.net sends one of its own, the same on each retry).</summary>
    public async Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(returnUrl);
        var session = await call.RunAsync("create_portal_session", ct => V1.BillingPortal.Sessions.CreateAsync(
            new BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl.AbsoluteUri }, null, ct), cancellationToken);
        if (session.IsFailure)
        {
            return session.Error;
        }

        return Uri.TryCreate(session.Value.Url, UriKind.Absolute, out var url) ? url : PaymentsErrors.ProviderUnavailable;
    }

    public async Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!atPeriodEnd)
        {
            var deleted = await call.ExecuteAsync("cancel_subscription", ct => V1.Subscriptions.CancelAsync(providerSubscriptionId, null, Key(idempotencyKey), ct), cancellationToken);
            if (deleted.IsSuccess || deleted.Error!.Code is not ("billing.provider.invalid_request" or "billing.provider.object_not_found"))
            {
                return deleted.IsFailure ? deleted.Error! : Result.Success();
            }

            // Stripe does not replay DELETEs by key: when an earlier attempt canceled it and its answer was lost, the
            // retry is refused. What counts is the state: a subscription that is canceled is what was asked for.
            var state = await GetSubscriptionAsync(providerSubscriptionId, cancellationToken);
            return state.IsSuccess && state.Value.Status == "canceled" ? Result.Success() : deleted.Error!;
        }

        // A subscription run by a schedule refuses cancel_at_period_end: release the schedule first (a pending
        // period-end change is dropped, the subscription ends at the period end anyway).
        var current = await GetSubscriptionAsync(providerSubscriptionId, cancellationToken);
        if (current.IsFailure)
        {
            return current.Error!;
        }

        var released = await ReleaseScheduleAsync(current.Value, idempotencyKey, cancellationToken);
        return released.IsFailure ? released : await SetCancelAtPeriodEndAsync(providerSubscriptionId, true, idempotencyKey, cancellationToken);
    }

    public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        SetCancelAtPeriodEndAsync(providerSubscriptionId, false, idempotencyKey, cancellationToken);

    /// <summary>
    /// Now (upgrades): the item's price/quantity is swapped with the requested proration, after releasing any schedule
    /// (a newer decision replaces a pending period-end change). At period end (downgrades): a subscription schedule
    /// keeps the current phase until the period ends and then switches; an existing schedule is rewritten, so the last
    /// requested change wins. Every step has its own key derived from <paramref name="idempotencyKey"/>.
    /// </summary>
    public async Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await GetSubscriptionAsync(request.ProviderSubscriptionId, cancellationToken);
        if (current.IsFailure)
        {
            return current.Error;
        }

        var subscription = current.Value;
        if (subscription.Items?.Data is not [var item, ..] || item.Id is null)
        {
            return PaymentsErrors.ProviderUnavailable;
        }

        if (!request.AtPeriodEnd)
        {
            var released = await ReleaseScheduleAsync(subscription, idempotencyKey, cancellationToken);
            if (released.IsFailure)
            {
                return released;
            }

            return await call.ExecuteAsync("update_subscription", ct => V1.Subscriptions.UpdateAsync(
                request.ProviderSubscriptionId,
                new SubscriptionUpdateOptions
                {
                    Items = [new SubscriptionItemOptions { Id = item.Id, Price = request.ProviderPriceId, Quantity = request.Quantity }],
                    ProrationBehavior = Proration(request.Proration),
                },
                Key(idempotencyKey), ct), cancellationToken);
        }

        if (subscription.CancelAtPeriodEnd)
        {
            return CancelScheduled;
        }

        var schedule = subscription.ScheduleId is { } scheduleId
            ? await call.RunAsync("get_subscription_schedule", ct => V1.SubscriptionSchedules.GetAsync(scheduleId, null, null, ct), cancellationToken)
            : await call.RunAsync("create_subscription_schedule", ct => V1.SubscriptionSchedules.CreateAsync(
                new SubscriptionScheduleCreateOptions { FromSubscription = request.ProviderSubscriptionId }, Key(idempotencyKey + "-schedule"), ct), cancellationToken);
        if (schedule.IsFailure)
        {
            return schedule.Error;
        }

        var phase = schedule.Value.Phases is [var first, ..] ? first : null;
        var start = schedule.Value.CurrentPhase?.StartDate ?? phase?.StartDate;
        var end = schedule.Value.CurrentPhase?.EndDate ?? phase?.EndDate;
        if (schedule.Value.Id is not { } id || item.Price?.Id is not { } priceId || start is null || end is null)
        {
            return PaymentsErrors.ProviderUnavailable;
        }

        // Two phases: the current one unchanged until its end, then the new price/quantity (one billing interval, no
        // proration); then the schedule releases the subscription, which goes on renewing at the new price.
        return await call.ExecuteAsync("update_subscription_schedule", ct => V1.SubscriptionSchedules.UpdateAsync(
            id,
            new SubscriptionScheduleUpdateOptions
            {
                EndBehavior = "release",
                Phases =
                [
                    new SubscriptionSchedulePhaseOptions
                    {
                        Items = [new SubscriptionSchedulePhaseItemOptions { Price = priceId, Quantity = item.Quantity < 1 ? 1 : item.Quantity }],
                        StartDate = start.Value,
                        EndDate = end.Value,
                        ProrationBehavior = "none",
                    },
                    new SubscriptionSchedulePhaseOptions
                    {
                        Items = [new SubscriptionSchedulePhaseItemOptions { Price = request.ProviderPriceId, Quantity = request.Quantity }],
                        ProrationBehavior = "none",
                    },
                ],
            },
            Key(idempotencyKey + "-phases"), ct), cancellationToken);
    }

    public async Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new RefundCreateOptions { Amount = request.AmountMinor };
        if (request.ProviderPaymentId.StartsWith("ch_", StringComparison.Ordinal))
        {
            options.Charge = request.ProviderPaymentId;
        }
        else
        {
            options.PaymentIntent = request.ProviderPaymentId;
        }

        if (request.Reason is { } reason && RefundReasons.Contains(reason, StringComparer.Ordinal))
        {
            options.Reason = reason;
        }
        else if (!string.IsNullOrEmpty(request.Reason))
        {
            options.Metadata = new Dictionary<string, string> { ["reason"] = request.Reason };
        }

        var refund = await call.RunAsync("create_refund", ct => V1.Refunds.CreateAsync(options, Key(idempotencyKey), ct), cancellationToken);
        if (refund.IsFailure)
        {
            return refund.Error;
        }

        var r = refund.Value;
        return r.Id is { } refundId
            ? new ProviderRefund(refundId, r.Amount, (r.Currency ?? request.Currency).ToUpperInvariant(), r.Status ?? "pending")
            : PaymentsErrors.ProviderUnavailable;
    }

    public async Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var read = reference.Kind switch
        {
            ProviderObjectKind.Subscription => await ReadAsync("get_subscription", ct => V1.Subscriptions.GetAsync(reference.ProviderId, null, null, ct),
                s => s.Status is "canceled" or "incomplete_expired" ? "customer.subscription.deleted" : "customer.subscription.updated", cancellationToken),
            ProviderObjectKind.CheckoutSession => await ReadAsync("get_checkout_session", ct => V1.Checkout.Sessions.GetAsync(reference.ProviderId, null, null, ct),
                s => s.Status switch
                {
                    "complete" => "checkout.session.completed",
                    "expired" => "checkout.session.expired",
                    _ => null,
                }, cancellationToken),
            _ => await ReadAsync("get_payment_intent", ct => V1.PaymentIntents.GetAsync(reference.ProviderId, null, null, ct),
                p => p.Status switch
                {
                    "succeeded" => "payment_intent.succeeded",
                    "requires_payment_method" when p.LastPaymentError is not null => "payment_intent.payment_failed",
                    "canceled" => "payment_intent.payment_failed",
                    _ => null,
                }, cancellationToken),
        };
        if (read.IsFailure)
        {
            return read.Error;
        }

        if (read.Value is not ({ } type, var obj))
        {
            return Result.Success<IReadOnlyList<ProviderEvent>>([]);
        }

        // A reconciliation read is not an event: its id names the object and the moment it was read.
        var now = clock.GetUtcNow();
        var eventId = $"fetch_{reference.ProviderId}_{now.ToUnixTimeMilliseconds()}";
        return _normalizer.FromObject(type, eventId, now, obj);
    }

    /// <summary>A billing meter event; <c>identifier</c> makes Stripe drop a repeated report of the same usage.</summary>
    public Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return call.ExecuteAsync("create_meter_event", ct => V1.Billing.MeterEvents.CreateAsync(
            new Meters.MeterEventCreateOptions
            {
                EventName = report.FeatureId,
                Payload = new Dictionary<string, string>
                {
                    ["stripe_customer_id"] = report.CustomerId,
                    ["value"] = report.Quantity.ToString(CultureInfo.InvariantCulture),
                },
                Identifier = idempotencyKey,
                Timestamp = report.At.UtcDateTime,
            },
            Key(idempotencyKey), ct), cancellationToken);
    }

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? signature = null;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, StripeWebhookSignature.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                signature = value;
            }
        }

        // Verify and read the envelope only: the event is parsed into Stripe.net objects when it is applied.
        return StripeWebhookSignature.Verify(Encoding.UTF8.GetString(body), signature, options.WebhookSecrets, now, options.WebhookToleranceSeconds)
            ? StripeEventNormalizer.ReadEnvelope(body)
            : PaymentsErrors.SignatureInvalid;
    }

    /// <summary>The success URL with <c>session_id={CHECKOUT_SESSION_ID}</c> appended (Stripe fills it in on redirect).</summary>
    public static string SuccessUrl(Uri successUrl)
    {
        ArgumentNullException.ThrowIfNull(successUrl);

        // Uri escapes the braces; Stripe only substitutes the literal placeholder.
        var url = successUrl.AbsoluteUri.Replace("%7BCHECKOUT_SESSION_ID%7D", "{CHECKOUT_SESSION_ID}", StringComparison.OrdinalIgnoreCase);
        if (url.Contains("{CHECKOUT_SESSION_ID}", StringComparison.Ordinal))
        {
            return url;
        }

        var fragment = url.IndexOf('#', StringComparison.Ordinal);
        var head = fragment < 0 ? url : url[..fragment];
        var tail = fragment < 0 ? string.Empty : url[fragment..];
        var separator = head.Contains('?', StringComparison.Ordinal) ? (head.EndsWith('?') || head.EndsWith('&') ? string.Empty : "&") : "?";
        return head + separator + CheckoutSessionPlaceholder + tail;
    }

    /// <summary>The object read and the event type whose facts its current state shows (null type: none yet).</summary>
    private async Task<Result<(string? Type, IHasObject Object)>> ReadAsync<T>(
        string operation, Func<CancellationToken, Task<T>> get, Func<T, string?> eventType, CancellationToken cancellationToken)
        where T : IHasObject
    {
        var read = await call.RunAsync(operation, get, cancellationToken);
        return read.IsFailure ? read.Error : (eventType(read.Value), read.Value);
    }

    private Task<Result<Subscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken) =>
        call.RunAsync("get_subscription", ct => V1.Subscriptions.GetAsync(subscriptionId, null, null, ct), cancellationToken);

    private Task<Result> SetCancelAtPeriodEndAsync(string subscriptionId, bool cancelAtPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        call.ExecuteAsync("update_subscription", ct => V1.Subscriptions.UpdateAsync(
            subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = cancelAtPeriodEnd }, Key(idempotencyKey), ct), cancellationToken);

    /// <summary>Detach the schedule (dropping its future phases); the subscription keeps its current state.</summary>
    private async Task<Result> ReleaseScheduleAsync(Subscription subscription, string idempotencyKey, CancellationToken cancellationToken) =>
        subscription.ScheduleId is not { } scheduleId
            ? Result.Success()
            : await call.ExecuteAsync("release_subscription_schedule", ct => V1.SubscriptionSchedules.ReleaseAsync(
                scheduleId, null, Key(idempotencyKey + "-release"), ct), cancellationToken);

    private static string Proration(ProrationMode mode) => mode switch
    {
        ProrationMode.AlwaysInvoice => "always_invoice",
        ProrationMode.CreateProrations => "create_prorations",
        _ => "none",
    };

    private static Dictionary<string, string> CustomerMetadata(CreateCustomerRequest request) => new()
    {
        [StripeEventNormalizer.AccountMetadataKey] = Id(request.BillingAccountId),
        [StripeEventNormalizer.OrganizationMetadataKey] = Id(request.OrganizationId),
    };

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static Result<string> Required(string? id) => id is null ? PaymentsErrors.ProviderUnavailable : id;
}
