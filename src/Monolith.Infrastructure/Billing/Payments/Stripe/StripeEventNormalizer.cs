using System.Globalization;
using System.Text.Json;
using global::Stripe;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;
using CheckoutSession = global::Stripe.Checkout.Session;
using StripeInvoice = global::Stripe.Invoice;
using StripeSubscription = global::Stripe.Subscription;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Turns a Stripe event (or an object read back from the API) into provider-neutral <see cref="ProviderEvent"/>s,
/// reading Stripe.net's typed objects. Two steps, so that receiving stays cheap: <see cref="ReadEnvelope"/> (on
/// receipt: id, type and time only) and <see cref="Normalize"/> (when the stored event is applied: the whole event
/// parsed by <see cref="EventUtility.ParseEvent(string, bool)"/>). Events of an API version whose shapes differ from
/// the SDK's in a field read here are refused with <see cref="PaymentsErrors.ApiVersionUnsupportedCode"/> (parked);
/// see docs/stripe.md, "API versions".
/// </summary>
internal sealed class StripeEventNormalizer(PlanCatalog catalog)
{
    public const string AccountMetadataKey = "billing_account_id";

    public const string OrganizationMetadataKey = "organization_id";

    /// <summary>
    /// The oldest API version read (2025-03-31.basil): every field used here has been where Stripe.net 53 reads it
    /// since then. Before it, subscription periods were on the subscription and an invoice's subscription at its top.
    /// </summary>
    public const string OldestReadableApiVersion = "2025-03-31.basil";

    private const string Provider = BillingProvider.Stripe;

    public static readonly Error PriceUnknown = Error.Validation(
        "billing.webhook.price_unknown", "The Stripe price in this event is not in the catalogue (Billing:Plans:…:ProviderPriceIds:stripe).");

    private static readonly IReadOnlyList<ProviderEvent> None = [];

    /// <summary>
    /// The event types this normalizer reads; any other type is recorded as ignored on receipt (so is
    /// checkout.session.async_payment_failed: the session stays complete, the failed payment arrives as
    /// payment_intent.payment_failed).
    /// </summary>
    public static bool Handles(string type) => type is
        "checkout.session.completed" or "checkout.session.async_payment_succeeded" or "checkout.session.expired"
        or "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.paused"
        or "customer.subscription.resumed" or "customer.subscription.deleted" or "customer.subscription.trial_will_end"
        or "invoice.paid" or "invoice.payment_succeeded" or "invoice.payment_failed"
        or "payment_intent.succeeded" or "payment_intent.payment_failed"
        or "refund.created" or "charge.refunded"
        or "customer.updated";

    /// <summary>
    /// The receive path's read: the envelope's id, type and creation time, and that it carries an object. Nothing is
    /// parsed into Stripe.net objects here; the events are left to <see cref="Normalize"/> (null) — or known to be
    /// none (empty) for a type this normalizer does not read.
    /// </summary>
    public static Result<ParsedWebhook> ReadEnvelope(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("created", out var created) || !created.TryGetInt64(out var seconds)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                return PaymentsErrors.PayloadInvalid;
            }

            var eventType = type.GetString()!;
            return new ParsedWebhook(id.GetString()!, eventType, DateTimeOffset.FromUnixTimeSeconds(seconds), Handles(eventType) ? null : None);
        }
        catch (JsonException)
        {
            return PaymentsErrors.PayloadInvalid;
        }
    }

    /// <summary>The whole event, parsed by Stripe.net, as normalized events (the apply path; no signature check).</summary>
    public Result<ParsedWebhook> Normalize(string payload)
    {
        Event stripeEvent;
        try
        {
            // The version is checked below, field by field rather than by release train as the SDK would.
            stripeEvent = EventUtility.ParseEvent(payload, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is JsonException or StripeException or ArgumentException or InvalidOperationException or FormatException)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        if (stripeEvent.Id is not { } id || stripeEvent.Type is not { } type || stripeEvent.Created == default)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        var created = Utc(stripeEvent.Created);
        if (!Handles(type))
        {
            return new ParsedWebhook(id, type, created, None);
        }

        if (stripeEvent.Data?.Object is not { } obj)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        if (VersionProblem(stripeEvent.ApiVersion) is { } problem)
        {
            return PaymentsErrors.ApiVersionUnsupported(problem);
        }

        var events = FromObject(type, id, created, obj);
        return events.IsFailure ? events.Error : new ParsedWebhook(id, type, created, events.Value);
    }

    /// <summary>Why an event of <paramref name="apiVersion"/> cannot be read field for field, or null when it can.</summary>
    public static string? VersionProblem(string? apiVersion)
    {
        var sdk = StripeConfiguration.ApiVersion;
        if (string.IsNullOrEmpty(apiVersion) || apiVersion.Length < 10
            || !DateOnly.TryParseExact(apiVersion[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return $"Stripe API version '{apiVersion}' is not a version this server can read; set the webhook endpoint's API version to {sdk}.";
        }

        if (string.CompareOrdinal(apiVersion[..10], OldestReadableApiVersion[..10]) < 0)
        {
            return $"Stripe API version {apiVersion} predates {OldestReadableApiVersion} (subscription periods and an invoice's subscription " +
                   $"are elsewhere in it); set the webhook endpoint's API version to {sdk}, then retry this event.";
        }

        if (string.CompareOrdinal(apiVersion[..10], sdk[..10]) > 0 && !SameReleaseTrain(apiVersion, sdk))
        {
            return $"Stripe API version {apiVersion} is newer than Stripe.net {StripeConfiguration.StripeNetVersion} reads ({sdk}); " +
                   "upgrade Stripe.net (or pin the webhook endpoint to that version), then retry this event.";
        }

        return null;
    }

    /// <summary>The facts one Stripe object carries for an event of <paramref name="type"/>; unknown types carry none.</summary>
    public Result<IReadOnlyList<ProviderEvent>> FromObject(string type, string eventId, DateTimeOffset at, IHasObject obj)
    {
        switch (type, obj)
        {
            case ("checkout.session.completed" or "checkout.session.async_payment_succeeded", CheckoutSession session):
                return Checkout(eventId, at, session) is { } completed ? One(completed) : PaymentsErrors.PayloadInvalid;

            case ("checkout.session.expired", CheckoutSession session):
                return session.Id is { } sessionId ? One(new CheckoutExpired(Provider, eventId, at, sessionId)) : PaymentsErrors.PayloadInvalid;

            case ("customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.paused"
                or "customer.subscription.resumed" or "customer.subscription.deleted" or "customer.subscription.trial_will_end", StripeSubscription subscription):
            {
                var snapshot = Snapshot(subscription, at);
                if (snapshot.IsFailure)
                {
                    return snapshot.Error;
                }

                if (subscription.CustomerId is not { } customer)
                {
                    return PaymentsErrors.PayloadInvalid;
                }

                var account = AccountId(subscription.Metadata);
                return type switch
                {
                    "customer.subscription.deleted" => One(new SubscriptionDeleted(Provider, eventId, at, customer, account, snapshot.Value)),
                    "customer.subscription.trial_will_end" => One(new SubscriptionTrialWillEnd(Provider, eventId, at, customer, account, snapshot.Value)),
                    _ => One(new SubscriptionChanged(Provider, eventId, at, customer, account, snapshot.Value)),
                };
            }

            case ("invoice.paid" or "invoice.payment_succeeded", StripeInvoice invoice):
                return InvoiceOf(invoice) is { } paid
                    ? One(new InvoicePaid(Provider, eventId, at, invoice.CustomerId, InvoiceAccount(invoice), paid, invoice.AmountPaid))
                    : PaymentsErrors.PayloadInvalid;

            case ("invoice.payment_failed", StripeInvoice invoice):
                return InvoiceOf(invoice) is { } failed
                    ? One(new InvoicePaymentFailed(Provider, eventId, at, invoice.CustomerId, InvoiceAccount(invoice), failed))
                    : PaymentsErrors.PayloadInvalid;

            case ("payment_intent.succeeded", PaymentIntent intent):
            {
                var payment = Payment(intent);
                return payment is null
                    ? PaymentsErrors.PayloadInvalid
                    : One(new PaymentSucceeded(
                        Provider, eventId, at, intent.CustomerId, AccountId(intent.Metadata), payment,
                        intent.LatestChargeId ?? payment.ProviderPaymentId, intent.AmountReceived));
            }

            case ("payment_intent.payment_failed", PaymentIntent intent):
            {
                var payment = Payment(intent);
                var code = NonEmpty(intent.LastPaymentError?.DeclineCode) ?? NonEmpty(intent.LastPaymentError?.Code) ?? "payment_failed";
                return payment is null
                    ? PaymentsErrors.PayloadInvalid
                    : One(new PaymentFailed(Provider, eventId, at, intent.CustomerId, AccountId(intent.Metadata), payment, code));
            }

            case ("refund.created", global::Stripe.Refund refund):
                return Refund(eventId, at, refund, refund.PaymentIntentId ?? refund.ChargeId) is { } recorded ? One(recorded) : PaymentsErrors.PayloadInvalid;

            case ("charge.refunded", Charge charge):
            {
                // Charges list their refunds only when expanded (not by default since 2022-11-15); refund.created
                // carries every refund regardless, and the applier de-duplicates by refund id.
                var payment = charge.PaymentIntentId ?? charge.Id;
                var events = new List<ProviderEvent>();
                foreach (var r in charge.Refunds?.Data ?? [])
                {
                    if (Refund(eventId, at, r, payment) is { } listed)
                    {
                        events.Add(listed);
                    }
                }

                return events;
            }

            case ("customer.updated", Customer customer):
                return customer.Id is { } customerId
                    ? One(new CustomerUpdated(Provider, eventId, at, customerId, AccountId(customer.Metadata), NonEmpty(customer.Email)))
                    : PaymentsErrors.PayloadInvalid;

            case (_, _) when Handles(type):
                // A type we read, carrying an object of another kind.
                return PaymentsErrors.PayloadInvalid;

            default:
                return Result.Success(None);
        }
    }

    /// <summary>The subscription as a snapshot taken at <paramref name="at"/>, its price mapped to the catalogue.</summary>
    public Result<SubscriptionSnapshot> Snapshot(StripeSubscription s, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(s);
        var item = s.Items?.Data is { Count: > 0 } items ? items[0] : null;
        var priceId = item?.Price?.Id ?? item?.Plan?.Id;
        var status = Status(s.Status);
        if (s.Id is null || item is null || priceId is null || status is null || item.CurrentPeriodStart == default || item.CurrentPeriodEnd == default)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        var price = catalog.FindByProviderPriceId(Provider, priceId);
        if (price.IsFailure)
        {
            return PriceUnknown;
        }

        // pause_collection leaves Stripe's status "active" while nothing is collected: mirrored as paused, so the
        // access policy decides (default: no paid access while paused). Clearing it makes the snapshot active again.
        if (s.PauseCollection is not null && status is SubscriptionStatus.Active or SubscriptionStatus.Trialing or SubscriptionStatus.PastDue)
        {
            status = SubscriptionStatus.Paused;
        }

        var start = Utc(item.CurrentPeriodStart);
        var end = Utc(item.CurrentPeriodEnd);

        // Newer versions may express "cancel at period end" as cancel_at equal to the period end.
        var cancelAt = Utc(s.CancelAt);
        var cancelAtPeriodEnd = s.CancelAtPeriodEnd || (cancelAt is not null && cancelAt == end && status != SubscriptionStatus.Canceled);

        return new SubscriptionSnapshot(
            s.Id, status.Value, price.Value.Id, price.Value.PlanId, (int)item.Quantity, start, end,
            Utc(s.TrialEnd), cancelAtPeriodEnd, Utc(s.CanceledAt), Utc(s.EndedAt), at);
    }

    public static SubscriptionStatus? Status(string? status) => status switch
    {
        "incomplete" => SubscriptionStatus.Incomplete,
        "incomplete_expired" => SubscriptionStatus.IncompleteExpired,
        "trialing" => SubscriptionStatus.Trialing,
        "active" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "unpaid" => SubscriptionStatus.Unpaid,
        "paused" => SubscriptionStatus.Paused,
        "canceled" => SubscriptionStatus.Canceled,
        _ => null,
    };

    public static CheckoutCompleted? Checkout(string eventId, DateTimeOffset at, CheckoutSession c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Id is null)
        {
            return null;
        }

        var mode = c.Mode == "payment" ? CheckoutMode.Payment : CheckoutMode.Subscription;
        var account = AccountId(c.ClientReferenceId) ?? AccountId(c.Metadata);
        var result = mode == CheckoutMode.Payment ? c.PaymentIntentId : c.SubscriptionId;
        return new CheckoutCompleted(Provider, eventId, at, c.Id, c.CustomerId, account, mode, result);
    }

    private static InvoiceDetails? InvoiceOf(StripeInvoice i)
    {
        var line = i.Lines?.Data is { Count: > 0 } lines ? lines[0] : null;
        var start = Utc(line?.Period?.Start) ?? Utc((DateTime?)i.PeriodStart);
        var end = Utc(line?.Period?.End) ?? Utc((DateTime?)i.PeriodEnd);
        if (i.Id is null || i.Currency is null || start is null || end is null)
        {
            return null;
        }

        return new InvoiceDetails(
            i.Id, i.Parent?.SubscriptionDetails?.SubscriptionId, i.AmountDue, i.Currency.ToUpperInvariant(), start.Value, end.Value,
            (int)i.AttemptCount, Url(i.HostedInvoiceUrl), Url(i.InvoicePdf));
    }

    private static Guid? InvoiceAccount(StripeInvoice i) => AccountId(i.Metadata) ?? AccountId(i.Parent?.SubscriptionDetails?.Metadata);

    /// <summary>
    /// A payment intent as a payment. Since 2025-03-31.basil a payment intent no longer names its invoice (an invoice
    /// lists its payments instead), so every payment intent reads as one-time; invoices are followed through invoice.* events.
    /// </summary>
    private static PaymentDetails? Payment(PaymentIntent p) =>
        p.Id is null || p.Currency is null ? null : new PaymentDetails(p.Id, PaymentKind.OneTime, null, p.Amount, p.Currency.ToUpperInvariant());

    private static RefundRecorded? Refund(string eventId, DateTimeOffset at, global::Stripe.Refund r, string? payment)
    {
        if (r.Id is null || r.Currency is null || payment is null)
        {
            return null;
        }

        return new RefundRecorded(
            Provider, eventId, at, payment, r.Id, r.Amount, r.Currency.ToUpperInvariant(), NonEmpty(r.Reason), Utc((DateTime?)r.Created) ?? at);
    }

    private static bool SameReleaseTrain(string a, string b) =>
        a.IndexOf('.', StringComparison.Ordinal) is var i and > 0 && b.IndexOf('.', StringComparison.Ordinal) is var j and > 0
        && string.Equals(a[(i + 1)..], b[(j + 1)..], StringComparison.Ordinal);

    private static Guid? AccountId(string? value) => Guid.TryParse(value, out var id) ? id : null;

    private static Guid? AccountId(Dictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(AccountMetadataKey, out var value) ? AccountId(value) : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v && v != default ? Utc(v) : null;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Uri? Url(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static Result<IReadOnlyList<ProviderEvent>> One(ProviderEvent e) => Result.Success<IReadOnlyList<ProviderEvent>>([e]);
}
