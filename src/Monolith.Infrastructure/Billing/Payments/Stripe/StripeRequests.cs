using System.Globalization;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// One call to the Stripe API: method, concrete path, the OpenAPI path template it matches (for the contract tests),
/// the form parameters (nested keys already flattened: <c>line_items[0][price]</c>) and, for POSTs, the idempotency key.
/// </summary>
internal sealed record StripeRequest(
    HttpMethod Method, string Path, string SpecPath, IReadOnlyList<KeyValuePair<string, string>> Parameters, string? IdempotencyKey);

/// <summary>The current phase of a subscription schedule: what is billed now, and until when.</summary>
internal sealed record SchedulePhase(string PriceId, int Quantity, DateTimeOffset Start, DateTimeOffset End);

/// <summary>Every request the adapter can send, built from the port's provider-neutral inputs.</summary>
internal static class StripeRequests
{
    public const string CheckoutSessionPlaceholder = "session_id={CHECKOUT_SESSION_ID}";

    private static readonly string[] RefundReasons = ["duplicate", "fraudulent", "requested_by_customer"];

    public static StripeRequest CreateCustomer(CreateCustomerRequest request, string idempotencyKey)
    {
        var form = new Form();
        form.Add("email", request.Email);
        form.Add("name", request.Name);
        form.Add($"metadata[{StripeEventNormalizer.AccountMetadataKey}]", Id(request.BillingAccountId));
        form.Add("metadata[organization_id]", Id(request.OrganizationId));
        return new StripeRequest(HttpMethod.Post, "/v1/customers", "/v1/customers", form.Items, idempotencyKey);
    }

    public static StripeRequest CreateCheckoutSession(CreateCheckoutRequest request, string idempotencyKey)
    {
        var account = Id(request.BillingAccountId);
        var form = new Form();
        form.Add("mode", request.Mode == CheckoutMode.Payment ? "payment" : "subscription");
        form.Add("customer", request.CustomerId);
        form.Add("client_reference_id", account);
        form.Add("line_items[0][price]", request.ProviderPriceId);
        form.Add("line_items[0][quantity]", Num(request.Quantity));
        form.Add("success_url", SuccessUrl(request.SuccessUrl));
        form.Add("cancel_url", request.CancelUrl.AbsoluteUri);
        form.Add($"metadata[{StripeEventNormalizer.AccountMetadataKey}]", account);
        if (request.Mode == CheckoutMode.Subscription)
        {
            form.Add($"subscription_data[metadata][{StripeEventNormalizer.AccountMetadataKey}]", account);
            if (request.TrialDays is > 0 and var days)
            {
                form.Add("subscription_data[trial_period_days]", Num(days));
            }
        }
        else
        {
            form.Add($"payment_intent_data[metadata][{StripeEventNormalizer.AccountMetadataKey}]", account);
        }

        if (request.AllowPromotionCodes)
        {
            form.Add("allow_promotion_codes", "true");
        }

        if (request.AutomaticTax)
        {
            form.Add("automatic_tax[enabled]", "true");
            form.Add("customer_update[address]", "auto");
        }

        return new StripeRequest(HttpMethod.Post, "/v1/checkout/sessions", "/v1/checkout/sessions", form.Items, idempotencyKey);
    }

    public static StripeRequest CreatePortalSession(string customerId, Uri returnUrl)
    {
        var form = new Form();
        form.Add("customer", customerId);
        form.Add("return_url", returnUrl.AbsoluteUri);
        return new StripeRequest(HttpMethod.Post, "/v1/billing_portal/sessions", "/v1/billing_portal/sessions", form.Items, null);
    }

    public static StripeRequest RetrievePrice(string priceId) =>
        new(HttpMethod.Get, $"/v1/prices/{Escape(priceId)}", "/v1/prices/{price}", [], null);

    public static StripeRequest RetrieveSubscription(string subscriptionId) =>
        new(HttpMethod.Get, $"/v1/subscriptions/{Escape(subscriptionId)}", "/v1/subscriptions/{subscription_exposed_id}", [], null);

    public static StripeRequest SetCancelAtPeriodEnd(string subscriptionId, bool cancelAtPeriodEnd, string idempotencyKey)
    {
        var form = new Form();
        form.Add("cancel_at_period_end", cancelAtPeriodEnd ? "true" : "false");
        return new StripeRequest(HttpMethod.Post, $"/v1/subscriptions/{Escape(subscriptionId)}", "/v1/subscriptions/{subscription_exposed_id}", form.Items, idempotencyKey);
    }

    /// <summary>Swap the price/quantity of the subscription's (single) item now (period-end changes use a schedule).</summary>
    public static StripeRequest ChangeSubscription(ChangeSubscriptionRequest request, string itemId, string idempotencyKey)
    {
        var form = new Form();
        form.Add("items[0][id]", itemId);
        form.Add("items[0][price]", request.ProviderPriceId);
        form.Add("items[0][quantity]", Num(request.Quantity));
        form.Add("proration_behavior", Proration(request.Proration));
        return new StripeRequest(HttpMethod.Post, $"/v1/subscriptions/{Escape(request.ProviderSubscriptionId)}", "/v1/subscriptions/{subscription_exposed_id}", form.Items, idempotencyKey);
    }

    /// <summary>Cancel now. Stripe ignores keys on DELETE (it is idempotent by definition); we send one anyway, like every mutation.</summary>
    public static StripeRequest CancelSubscription(string subscriptionId, string idempotencyKey) =>
        new(HttpMethod.Delete, $"/v1/subscriptions/{Escape(subscriptionId)}", "/v1/subscriptions/{subscription_exposed_id}", [], idempotencyKey);

    /// <summary>A schedule that takes over the subscription as it is: one phase, the current period.</summary>
    public static StripeRequest CreateScheduleFromSubscription(string subscriptionId, string idempotencyKey)
    {
        var form = new Form();
        form.Add("from_subscription", subscriptionId);
        return new StripeRequest(HttpMethod.Post, "/v1/subscription_schedules", "/v1/subscription_schedules", form.Items, idempotencyKey);
    }

    public static StripeRequest RetrieveSchedule(string scheduleId) =>
        new(HttpMethod.Get, $"/v1/subscription_schedules/{Escape(scheduleId)}", "/v1/subscription_schedules/{schedule}", [], null);

    /// <summary>
    /// Two phases: the current one unchanged until its end, then the new price/quantity (one billing interval, no
    /// proration); then the schedule releases the subscription, which goes on renewing at the new price.
    /// </summary>
    public static StripeRequest ScheduleChangeAtPeriodEnd(string scheduleId, SchedulePhase current, string newPriceId, int newQuantity, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(current);
        var form = new Form();
        form.Add("end_behavior", "release");
        form.Add("phases[0][items][0][price]", current.PriceId);
        form.Add("phases[0][items][0][quantity]", Num(current.Quantity));
        form.Add("phases[0][start_date]", Num(current.Start.ToUnixTimeSeconds()));
        form.Add("phases[0][end_date]", Num(current.End.ToUnixTimeSeconds()));
        form.Add("phases[0][proration_behavior]", "none");
        form.Add("phases[1][items][0][price]", newPriceId);
        form.Add("phases[1][items][0][quantity]", Num(newQuantity));
        form.Add("phases[1][proration_behavior]", "none");
        return new StripeRequest(HttpMethod.Post, $"/v1/subscription_schedules/{Escape(scheduleId)}", "/v1/subscription_schedules/{schedule}", form.Items, idempotencyKey);
    }

    /// <summary>Detach the schedule (dropping its future phases); the subscription keeps its current state.</summary>
    public static StripeRequest ReleaseSchedule(string scheduleId, string idempotencyKey) =>
        new(HttpMethod.Post, $"/v1/subscription_schedules/{Escape(scheduleId)}/release", "/v1/subscription_schedules/{schedule}/release", [], idempotencyKey);

    public static StripeRequest CreateRefund(RefundRequest request, string idempotencyKey)
    {
        var form = new Form();
        form.Add(request.ProviderPaymentId.StartsWith("ch_", StringComparison.Ordinal) ? "charge" : "payment_intent", request.ProviderPaymentId);
        form.Add("amount", Num(request.AmountMinor));
        if (request.Reason is { } reason && RefundReasons.Contains(reason, StringComparer.Ordinal))
        {
            form.Add("reason", reason);
        }
        else
        {
            form.Add("metadata[reason]", request.Reason);
        }

        return new StripeRequest(HttpMethod.Post, "/v1/refunds", "/v1/refunds", form.Items, idempotencyKey);
    }

    public static StripeRequest RetrieveCheckoutSession(string sessionId) =>
        new(HttpMethod.Get, $"/v1/checkout/sessions/{Escape(sessionId)}", "/v1/checkout/sessions/{session}", [], null);

    public static StripeRequest RetrievePaymentIntent(string paymentIntentId) =>
        new(HttpMethod.Get, $"/v1/payment_intents/{Escape(paymentIntentId)}", "/v1/payment_intents/{intent}", [], null);

    /// <summary>A billing meter event; <c>identifier</c> makes Stripe drop a repeated report of the same usage.</summary>
    public static StripeRequest CreateMeterEvent(UsageReport report, string idempotencyKey)
    {
        var form = new Form();
        form.Add("event_name", report.FeatureId);
        form.Add("payload[stripe_customer_id]", report.CustomerId);
        form.Add("payload[value]", Num(report.Quantity));
        form.Add("identifier", idempotencyKey);
        form.Add("timestamp", Num(report.At.ToUnixTimeSeconds()));
        return new StripeRequest(HttpMethod.Post, "/v1/billing/meter_events", "/v1/billing/meter_events", form.Items, idempotencyKey);
    }

    /// <summary>The success URL with <c>session_id={CHECKOUT_SESSION_ID}</c> appended (Stripe fills it in on redirect).</summary>
    public static string SuccessUrl(Uri successUrl)
    {
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

    /// <summary>application/x-www-form-urlencoded body of the parameters.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static string Proration(ProrationMode mode) => mode switch
    {
        ProrationMode.AlwaysInvoice => "always_invoice",
        ProrationMode.CreateProrations => "create_prorations",
        _ => "none",
    };

    private static string Escape(string id) => Uri.EscapeDataString(id);

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Form
    {
        public List<KeyValuePair<string, string>> Items { get; } = [];

        public void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                Items.Add(new(key, value));
            }
        }
    }
}
