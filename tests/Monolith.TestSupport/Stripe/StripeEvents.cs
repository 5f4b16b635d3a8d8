using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monolith.TestSupport.Stripe;

/// <summary>
/// Stripe-shaped objects and events built from the official fixtures (<c>fixtures3-2026-08-21.json</c>) with their ids
/// and the fields the app reads rewired. For tests that post webhooks themselves (sign them with
/// <see cref="StripeWebhookSigner"/>); <see cref="FakeStripe"/> uses the same builders for the events it emits.
/// </summary>
public static class StripeEvents
{
    /// <summary>The API version the adapter pins by default (basil: periods on subscription items).</summary>
    public const string ApiVersion = "2025-03-31.basil";

    public const string AccountMetadataKey = "billing_account_id";

    /// <summary>A Stripe event envelope around a copy of <paramref name="obj"/>, as UTF-8 JSON bytes.</summary>
    public static byte[] Envelope(string type, JsonObject obj, string id, long created, string apiVersion = ApiVersion)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var envelope = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["type"] = type,
            ["created"] = created,
            ["api_version"] = apiVersion,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["data"] = new JsonObject { ["object"] = obj.DeepClone() },
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    /// <summary>A subscription (basil shape) with one item at <paramref name="priceId"/>, active, not canceling.</summary>
    public static JsonObject Subscription(
        string id, string customerId, string itemId, string priceId, int quantity, DateTimeOffset periodStart, DateTimeOffset periodEnd, Guid? accountId)
    {
        var s = StripeFiles.Fixture("subscription");
        s["id"] = id;
        s["customer"] = customerId;
        s["status"] = "active";
        s["cancel_at"] = null;
        s["canceled_at"] = null;
        s["ended_at"] = null;
        s["trial_start"] = null;
        s["trial_end"] = null;
        s["cancel_at_period_end"] = false;
        s["schedule"] = null;
        s["pause_collection"] = null; // the fixture fills it; a subscription collects unless paused
        s["metadata"] = Metadata(accountId);
        var item = s["items"]!["data"]![0]!.AsObject();
        item["id"] = itemId;
        item["subscription"] = id;
        item["price"]!["id"] = priceId;
        item["quantity"] = quantity;
        item["current_period_start"] = periodStart.ToUnixTimeSeconds();
        item["current_period_end"] = periodEnd.ToUnixTimeSeconds();
        s["items"]!["data"] = new JsonArray(item.DeepClone());
        return s;
    }

    /// <summary>A checkout session in <paramref name="mode"/>, open, attributed through client_reference_id and metadata.</summary>
    public static JsonObject CheckoutSession(string id, string mode, string? customerId, Guid? accountId, DateTimeOffset expiresAt)
    {
        var c = StripeFiles.Fixture("checkout.session");
        c["id"] = id;
        c["mode"] = mode;
        c["status"] = "open";
        c["payment_status"] = "unpaid";
        c["customer"] = customerId;
        c["client_reference_id"] = accountId?.ToString();
        c["metadata"] = Metadata(accountId);
        c["subscription"] = null;
        c["payment_intent"] = null;
        c["expires_at"] = expiresAt.ToUnixTimeSeconds();
        c["url"] = $"https://checkout.stripe.test/c/pay/{id}";
        return c;
    }

    /// <summary>An invoice of a subscription (basil shape: the subscription under <c>parent.subscription_details</c>).</summary>
    public static JsonObject Invoice(
        string id, string customerId, string subscriptionId, Guid? accountId, long amountMinor, string currency,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, bool paid, int attemptCount)
    {
        var i = StripeFiles.Fixture("invoice");
        i["id"] = id;
        i["customer"] = customerId;
        i["currency"] = currency.ToLowerInvariant();
        i["amount_due"] = amountMinor;
        i["amount_paid"] = paid ? amountMinor : 0;
        i["amount_remaining"] = paid ? 0 : amountMinor;
        i["attempt_count"] = attemptCount;
        i["attempted"] = attemptCount > 0;
        i["status"] = paid ? "paid" : "open";
        i["billing_reason"] = "subscription_cycle";
        i["metadata"] = new JsonObject();
        i["subscription"] = null;
        i["period_start"] = periodStart.ToUnixTimeSeconds();
        i["period_end"] = periodEnd.ToUnixTimeSeconds();
        i["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = Metadata(accountId) },
        };
        var line = i["lines"]!["data"]![0]!.AsObject();
        line["amount"] = amountMinor;
        line["currency"] = currency.ToLowerInvariant();
        line["period"] = new JsonObject { ["start"] = periodStart.ToUnixTimeSeconds(), ["end"] = periodEnd.ToUnixTimeSeconds() };
        i["lines"]!["data"] = new JsonArray(line.DeepClone());
        return i;
    }

    /// <summary>A one-time payment (no invoice), succeeded and captured by <paramref name="chargeId"/>.</summary>
    public static JsonObject PaymentIntent(string id, string? customerId, Guid? accountId, long amountMinor, string currency, string chargeId)
    {
        var p = StripeFiles.Fixture("payment_intent");
        p["id"] = id;
        p["customer"] = customerId;
        p["amount"] = amountMinor;
        p["amount_received"] = amountMinor;
        p["currency"] = currency.ToLowerInvariant();
        p["status"] = "succeeded";
        p["last_payment_error"] = null;
        p["latest_charge"] = chargeId;
        p["canceled_at"] = null;
        p["invoice"] = null;
        p["metadata"] = Metadata(accountId);
        return p;
    }

    public static JsonObject Refund(string id, string paymentIntentId, string chargeId, long amountMinor, string currency, string? reason, DateTimeOffset created)
    {
        var r = StripeFiles.Fixture("refund");
        r["id"] = id;
        r["payment_intent"] = paymentIntentId;
        r["charge"] = chargeId;
        r["amount"] = amountMinor;
        r["currency"] = currency.ToLowerInvariant();
        r["reason"] = reason;
        r["status"] = "succeeded";
        r["created"] = created.ToUnixTimeSeconds();
        return r;
    }

    private static JsonObject Metadata(Guid? accountId) =>
        accountId is null ? new JsonObject() : new JsonObject { [AccountMetadataKey] = accountId.Value.ToString() };
}

/// <summary>Fixture shapes the adapter's unit tests build on.</summary>
public static class StripeFixtures
{
    public const string ItemId = "si_fake_1";

    /// <summary>The fixture subscription (basil shape) with a known price, status and account, period Jan 2026.</summary>
    public static JsonObject Subscription(string id, string priceId, Guid? accountId = null)
    {
        var s = StripeEvents.Subscription(id, "cus_QXg1o8vcGmoR32", ItemId, priceId, 1,
            DateTimeOffset.FromUnixTimeSeconds(1767225600), DateTimeOffset.FromUnixTimeSeconds(1769904000), accountId);
        return s;
    }

    /// <summary>The same subscription in the shape before 2025-03-31.basil: periods at the top, not on the item.</summary>
    public static JsonObject ToLegacySubscription(JsonObject basil)
    {
        ArgumentNullException.ThrowIfNull(basil);
        var s = basil.DeepClone().AsObject();
        var item = s["items"]!["data"]![0]!.AsObject();
        s["current_period_start"] = item["current_period_start"]!.DeepClone();
        s["current_period_end"] = item["current_period_end"]!.DeepClone();
        item.Remove("current_period_start");
        item.Remove("current_period_end");
        return s;
    }
}
