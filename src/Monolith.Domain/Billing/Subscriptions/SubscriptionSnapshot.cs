using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Subscriptions;

/// <summary>
/// The provider's full view of one subscription at <see cref="SnapshotAt"/> (the provider's event timestamp).
/// Price and plan are already mapped to catalogue ids.
/// </summary>
public sealed record SubscriptionSnapshot(
    string ProviderSubscriptionId,
    SubscriptionStatus Status,
    string PriceId,
    string PlanId,
    int Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset? TrialEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CanceledAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset SnapshotAt)
{
    public bool IsTerminal => SubscriptionTransitions.IsTerminal(Status);

    /// <summary>Whether the snapshot shows that a trial was granted.</summary>
    public bool ShowsTrial => Status == SubscriptionStatus.Trialing || TrialEnd is not null;

    public Result Validate()
    {
        if (string.IsNullOrWhiteSpace(ProviderSubscriptionId) || string.IsNullOrWhiteSpace(PriceId) || string.IsNullOrWhiteSpace(PlanId))
        {
            return SubscriptionErrors.SnapshotIncomplete;
        }

        if (!Enum.IsDefined(Status))
        {
            return SubscriptionErrors.SnapshotIncomplete;
        }

        if (Quantity < 1)
        {
            return SubscriptionErrors.QuantityInvalid;
        }

        return CurrentPeriodEnd < CurrentPeriodStart ? SubscriptionErrors.PeriodInvalid : Result.Success();
    }

    /// <summary>
    /// A total order over snapshots of one subscription: terminal snapshots rank above live ones, then the provider's
    /// timestamp decides, then (for equal timestamps) a fixed comparison of the content, so two different snapshots
    /// never tie. Applying "keep the greatest" in any order therefore ends with the same snapshot.
    /// </summary>
    public static int CompareRecency(SubscriptionSnapshot left, SubscriptionSnapshot right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);

        int c;
        if ((c = left.IsTerminal.CompareTo(right.IsTerminal)) != 0 ||
            (c = left.SnapshotAt.CompareTo(right.SnapshotAt)) != 0 ||
            (c = left.CurrentPeriodEnd.CompareTo(right.CurrentPeriodEnd)) != 0 ||
            (c = Nullable.Compare(left.EndedAt, right.EndedAt)) != 0 ||
            (c = Nullable.Compare(left.CanceledAt, right.CanceledAt)) != 0 ||
            (c = left.Status.CompareTo(right.Status)) != 0 ||
            (c = left.CancelAtPeriodEnd.CompareTo(right.CancelAtPeriodEnd)) != 0 ||
            (c = string.CompareOrdinal(left.PriceId, right.PriceId)) != 0 ||
            (c = string.CompareOrdinal(left.PlanId, right.PlanId)) != 0 ||
            (c = left.Quantity.CompareTo(right.Quantity)) != 0 ||
            (c = left.CurrentPeriodStart.CompareTo(right.CurrentPeriodStart)) != 0)
        {
            return c;
        }

        return Nullable.Compare(left.TrialEnd, right.TrialEnd);
    }
}
