using Monolith.Application.Billing.ProviderEvents;

namespace Monolith.Application.Billing.Webhooks.ApplyReceivedWebhooks;

/// <summary>
/// Splits received events into lanes that can be applied concurrently: every event of one provider customer lands in
/// the same lane (so one customer's events are applied by one transaction at a time, in received order). Events of
/// different customers rarely touch the same rows; when they do, the database's version checks and unique keys turn
/// the clash into a rolled-back batch that is retried — the lanes trade no correctness for speed.
/// </summary>
public static class ApplyLanes
{
    public static int LaneOf(IReadOnlyList<ProviderEvent> events, int lanes)
    {
        if (lanes <= 1)
        {
            return 0;
        }

        var key = events.Select(KeyOf).FirstOrDefault(k => k is not null);
        return key is null ? 0 : (int)((uint)StableHash(key) % (uint)lanes);
    }

    /// <summary>The provider customer an event belongs to, or the object it is about when it names no customer.</summary>
    public static string? KeyOf(ProviderEvent providerEvent) => providerEvent switch
    {
        CheckoutCompleted e => e.CustomerId ?? e.ProviderSessionId,
        CheckoutExpired e => e.ProviderSessionId,
        SubscriptionChanged e => e.CustomerId,
        SubscriptionDeleted e => e.CustomerId,
        SubscriptionTrialWillEnd e => e.CustomerId,
        InvoicePaid e => e.CustomerId ?? e.Invoice.ProviderSubscriptionId,
        InvoicePaymentFailed e => e.CustomerId ?? e.Invoice.ProviderSubscriptionId,
        PaymentSucceeded e => e.CustomerId ?? e.Payment.ProviderPaymentId,
        PaymentFailed e => e.CustomerId ?? e.Payment.ProviderPaymentId,
        RefundRecorded e => e.ProviderPaymentId,
        CustomerUpdated e => e.CustomerId,
        _ => null,
    };

    /// <summary>FNV-1a over the UTF-16 code units: the same lane in every process (string.GetHashCode is randomized).</summary>
    private static int StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
