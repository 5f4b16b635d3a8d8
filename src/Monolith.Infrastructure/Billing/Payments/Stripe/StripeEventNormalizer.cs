using System.Text.Json;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Turns a Stripe event (or an object read back from the API) into provider-neutral <see cref="ProviderEvent"/>s.
/// A tolerant reader: the shapes before and after API 2025-03-31.basil normalize to the same facts (subscription
/// periods on the items or at the top; an invoice's subscription under <c>parent.subscription_details</c> or at the top).
/// </summary>
internal sealed class StripeEventNormalizer(PlanCatalog catalog)
{
    public const string AccountMetadataKey = "billing_account_id";

    private const string Provider = BillingProvider.Stripe;

    public static readonly Error PriceUnknown = Error.Validation(
        "billing.webhook.price_unknown", "The Stripe price in this event is not in the catalogue (Billing:Plans:…:ProviderPriceIds:stripe).");

    private static readonly IReadOnlyList<ProviderEvent> None = [];

    public Result<ParsedWebhook> Normalize(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var id = root.Str("id");
            var type = root.Str("type");
            var created = root.Time("created");
            if (id is null || type is null || created is null || root.Get("data.object") is not { ValueKind: JsonValueKind.Object } obj)
            {
                return PaymentsErrors.PayloadInvalid;
            }

            var events = FromObject(type, id, created.Value, obj);
            return events.IsFailure ? events.Error : new ParsedWebhook(id, type, created.Value, events.Value);
        }
        catch (JsonException)
        {
            return PaymentsErrors.PayloadInvalid;
        }
    }

    /// <summary>The facts one Stripe object carries for an event of <paramref name="type"/>; unknown types carry none.</summary>
    public Result<IReadOnlyList<ProviderEvent>> FromObject(string type, string eventId, DateTimeOffset at, JsonElement obj)
    {
        switch (type)
        {
            case "checkout.session.completed" or "checkout.session.async_payment_succeeded":
                return Checkout(eventId, at, obj) is { } completed ? One(completed) : PaymentsErrors.PayloadInvalid;

            case "checkout.session.expired":
                return obj.Str("id") is { } sessionId ? One(new CheckoutExpired(Provider, eventId, at, sessionId)) : PaymentsErrors.PayloadInvalid;

            case "checkout.session.async_payment_failed":
                // The session stays complete; the failed payment reaches us as payment_intent.payment_failed.
                return Result.Success(None);

            case "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.paused"
                or "customer.subscription.resumed" or "customer.subscription.deleted" or "customer.subscription.trial_will_end":
            {
                var snapshot = Snapshot(obj, at);
                if (snapshot.IsFailure)
                {
                    return snapshot.Error;
                }

                var customer = obj.Ref("customer");
                if (customer is null)
                {
                    return PaymentsErrors.PayloadInvalid;
                }

                var account = StripeJson.AccountId(obj.Str($"metadata.{AccountMetadataKey}"));
                return type switch
                {
                    "customer.subscription.deleted" => One(new SubscriptionDeleted(Provider, eventId, at, customer, account, snapshot.Value)),
                    "customer.subscription.trial_will_end" => One(new SubscriptionTrialWillEnd(Provider, eventId, at, customer, account, snapshot.Value)),
                    _ => One(new SubscriptionChanged(Provider, eventId, at, customer, account, snapshot.Value)),
                };
            }

            case "invoice.paid" or "invoice.payment_succeeded":
                return Invoice(obj) is { } paid
                    ? One(new InvoicePaid(Provider, eventId, at, obj.Ref("customer"), InvoiceAccount(obj), paid, obj.Long("amount_paid") ?? 0))
                    : PaymentsErrors.PayloadInvalid;

            case "invoice.payment_failed":
                return Invoice(obj) is { } failed
                    ? One(new InvoicePaymentFailed(Provider, eventId, at, obj.Ref("customer"), InvoiceAccount(obj), failed))
                    : PaymentsErrors.PayloadInvalid;

            case "payment_intent.succeeded":
            {
                var payment = Payment(obj);
                return payment is null
                    ? PaymentsErrors.PayloadInvalid
                    : One(new PaymentSucceeded(
                        Provider, eventId, at, obj.Ref("customer"), StripeJson.AccountId(obj.Str($"metadata.{AccountMetadataKey}")), payment,
                        obj.Ref("latest_charge") ?? payment.ProviderPaymentId, obj.Long("amount_received") ?? payment.AmountMinor));
            }

            case "payment_intent.payment_failed":
            {
                var payment = Payment(obj);
                var code = obj.Str("last_payment_error.decline_code") ?? obj.Str("last_payment_error.code") ?? "payment_failed";
                return payment is null
                    ? PaymentsErrors.PayloadInvalid
                    : One(new PaymentFailed(
                        Provider, eventId, at, obj.Ref("customer"), StripeJson.AccountId(obj.Str($"metadata.{AccountMetadataKey}")), payment, code));
            }

            case "refund.created":
                return Refund(eventId, at, obj, obj.Ref("payment_intent") ?? obj.Ref("charge")) is { } refund ? One(refund) : PaymentsErrors.PayloadInvalid;

            case "charge.refunded":
            {
                // Charges list their refunds only when expanded (not by default since 2022-11-15); refund.created
                // carries every refund regardless, and the applier de-duplicates by refund id.
                var payment = obj.Ref("payment_intent") ?? obj.Str("id");
                var events = new List<ProviderEvent>();
                if (obj.Get("refunds.data") is { ValueKind: JsonValueKind.Array } refunds)
                {
                    foreach (var r in refunds.EnumerateArray())
                    {
                        if (Refund(eventId, at, r, payment) is { } recorded)
                        {
                            events.Add(recorded);
                        }
                    }
                }

                return events;
            }

            default:
                return Result.Success(None);
        }
    }

    /// <summary>The subscription as a snapshot taken at <paramref name="at"/>, its price mapped to the catalogue.</summary>
    public Result<SubscriptionSnapshot> Snapshot(JsonElement s, DateTimeOffset at)
    {
        var id = s.Str("id");
        var item = s.Get("items.data.0");
        var priceId = item?.Ref("price") ?? item?.Ref("plan") ?? s.Ref("plan");
        var status = Status(s.Str("status"));
        var start = item?.Time("current_period_start") ?? s.Time("current_period_start");
        var end = item?.Time("current_period_end") ?? s.Time("current_period_end");
        if (id is null || priceId is null || status is null || start is null || end is null)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        var price = catalog.FindByProviderPriceId(Provider, priceId);
        if (price.IsFailure)
        {
            return PriceUnknown;
        }

        var quantity = (int)(item?.Long("quantity") ?? s.Long("quantity") ?? 1);

        // Newer versions may express "cancel at period end" as cancel_at equal to the period end.
        var cancelAt = s.Time("cancel_at");
        var cancelAtPeriodEnd = s.Bool("cancel_at_period_end") == true || (cancelAt is not null && cancelAt == end && status != SubscriptionStatus.Canceled);

        return new SubscriptionSnapshot(
            id, status.Value, price.Value.Id, price.Value.PlanId, quantity, start.Value, end.Value,
            s.Time("trial_end"), cancelAtPeriodEnd, s.Time("canceled_at"), s.Time("ended_at"), at);
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

    public static CheckoutCompleted? Checkout(string eventId, DateTimeOffset at, JsonElement c)
    {
        var id = c.Str("id");
        if (id is null)
        {
            return null;
        }

        var mode = c.Str("mode") == "payment" ? CheckoutMode.Payment : CheckoutMode.Subscription;
        var account = StripeJson.AccountId(c.Str("client_reference_id")) ?? StripeJson.AccountId(c.Str($"metadata.{AccountMetadataKey}"));
        var result = mode == CheckoutMode.Payment ? c.Ref("payment_intent") : c.Ref("subscription");
        return new CheckoutCompleted(Provider, eventId, at, id, c.Ref("customer"), account, mode, result);
    }

    private static InvoiceDetails? Invoice(JsonElement i)
    {
        var id = i.Str("id");
        var currency = i.Str("currency");
        var line = i.Get("lines.data.0");
        var start = line?.Time("period.start") ?? i.Time("period_start");
        var end = line?.Time("period.end") ?? i.Time("period_end");
        if (id is null || currency is null || start is null || end is null)
        {
            return null;
        }

        var subscription = i.Ref("parent.subscription_details.subscription") ?? i.Ref("subscription");
        return new InvoiceDetails(
            id, subscription, i.Long("amount_due") ?? 0, currency.ToUpperInvariant(), start.Value, end.Value,
            (int)(i.Long("attempt_count") ?? 0), Url(i.Str("hosted_invoice_url")), Url(i.Str("invoice_pdf")));
    }

    private static Guid? InvoiceAccount(JsonElement i) =>
        StripeJson.AccountId(i.Str($"metadata.{AccountMetadataKey}"))
        ?? StripeJson.AccountId(i.Str($"parent.subscription_details.metadata.{AccountMetadataKey}"))
        ?? StripeJson.AccountId(i.Str($"subscription_details.metadata.{AccountMetadataKey}"));

    private static PaymentDetails? Payment(JsonElement p)
    {
        var id = p.Str("id");
        var currency = p.Str("currency");
        if (id is null || currency is null || p.Long("amount") is not { } amount)
        {
            return null;
        }

        var invoice = p.Ref("invoice");
        return new PaymentDetails(id, invoice is null ? PaymentKind.OneTime : PaymentKind.Invoice, invoice, amount, currency.ToUpperInvariant());
    }

    private static RefundRecorded? Refund(string eventId, DateTimeOffset at, JsonElement r, string? payment)
    {
        var id = r.Str("id");
        var currency = r.Str("currency");
        if (id is null || currency is null || payment is null || r.Long("amount") is not { } amount)
        {
            return null;
        }

        return new RefundRecorded(Provider, eventId, at, payment, id, amount, currency.ToUpperInvariant(), r.Str("reason"), r.Time("created") ?? at);
    }

    private static Uri? Url(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static Result<IReadOnlyList<ProviderEvent>> One(ProviderEvent e) => Result.Success<IReadOnlyList<ProviderEvent>>([e]);
}
