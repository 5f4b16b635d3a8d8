using System.Collections.Frozen;

namespace Monolith.Domain.Billing.Subscriptions;

/// <summary>The provider's subscription statuses (Stripe's vocabulary, which the other providers map onto).</summary>
public enum SubscriptionStatus
{
    Incomplete,
    IncompleteExpired,
    Trialing,
    Active,
    PastDue,
    Unpaid,
    Paused,
    Canceled,
}

/// <summary>
/// The one transition table of <see cref="Subscription"/>. Because the provider's webhooks can skip states,
/// it lists every status that can follow another between two consecutive provider snapshots (the closure of the
/// provider's own graph): the live statuses reach each other freely, trialing and incomplete only start a
/// subscription, and canceled and incomplete_expired are terminal.
/// </summary>
public static class SubscriptionTransitions
{
    private static readonly SubscriptionStatus[] Live =
        [SubscriptionStatus.Active, SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid, SubscriptionStatus.Paused];

    private static readonly FrozenDictionary<SubscriptionStatus, FrozenSet<SubscriptionStatus>> Allowed =
        new Dictionary<SubscriptionStatus, FrozenSet<SubscriptionStatus>>
        {
            [SubscriptionStatus.Incomplete] =
                FrozenSet.ToFrozenSet([.. Live, SubscriptionStatus.Trialing, SubscriptionStatus.Canceled, SubscriptionStatus.IncompleteExpired]),
            [SubscriptionStatus.Trialing] = FrozenSet.ToFrozenSet([.. Live, SubscriptionStatus.Canceled]),
            [SubscriptionStatus.Active] = Except(SubscriptionStatus.Active),
            [SubscriptionStatus.PastDue] = Except(SubscriptionStatus.PastDue),
            [SubscriptionStatus.Unpaid] = Except(SubscriptionStatus.Unpaid),
            [SubscriptionStatus.Paused] = Except(SubscriptionStatus.Paused),
            [SubscriptionStatus.IncompleteExpired] = FrozenSet<SubscriptionStatus>.Empty,
            [SubscriptionStatus.Canceled] = FrozenSet<SubscriptionStatus>.Empty,
        }.ToFrozenDictionary();

    public static bool IsAllowed(SubscriptionStatus from, SubscriptionStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    public static bool IsTerminal(SubscriptionStatus status) =>
        status is SubscriptionStatus.Canceled or SubscriptionStatus.IncompleteExpired;

    private static FrozenSet<SubscriptionStatus> Except(SubscriptionStatus self) =>
        FrozenSet.ToFrozenSet([.. Live.Where(s => s != self), SubscriptionStatus.Canceled]);
}
