namespace Monolith.Application.Billing.Reconciliation;

/// <summary>
/// One difference reconciliation found between our store and the provider, and what it changed. Append-only: written
/// in the same transaction as the change it describes, only when something differed (a clean sweep writes nothing).
/// </summary>
public sealed class BillingDriftReport
{
    public const int KindMaxLength = 40;
    public const int ProviderMaxLength = 40;
    public const int ProviderObjectIdMaxLength = 200;
    public const int SummaryMaxLength = 2000;

    private BillingDriftReport()
    {
        ObjectKind = Provider = ProviderObjectId = Before = After = Changes = string.Empty;
    }

    public BillingDriftReport(
        Guid id, DateTimeOffset detectedAt, string objectKind, string provider, string providerObjectId, Guid? billingAccountId,
        string before, string after, string changes)
    {
        Id = id;
        DetectedAt = detectedAt;
        ObjectKind = objectKind;
        Provider = provider;
        ProviderObjectId = providerObjectId;
        BillingAccountId = billingAccountId;
        Before = Truncate(before);
        After = Truncate(after);
        Changes = Truncate(changes);
    }

    public Guid Id { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }

    /// <summary><c>Subscription</c>, <c>Payment</c> or <c>CheckoutSession</c>.</summary>
    public string ObjectKind { get; private set; }
    public string Provider { get; private set; }
    public string ProviderObjectId { get; private set; }
    public Guid? BillingAccountId { get; private set; }

    /// <summary>Our state before, e.g. <c>absent</c> or <c>status=Open</c>.</summary>
    public string Before { get; private set; }

    /// <summary>Our state after applying the provider's truth.</summary>
    public string After { get; private set; }

    /// <summary>The applier's outcome per fetched event (what was changed, ignored or parked).</summary>
    public string Changes { get; private set; }

    private static string Truncate(string value) => value.Length <= SummaryMaxLength ? value : value[..SummaryMaxLength];
}
