using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Entitlements;

/// <summary>
/// Which subscription states grant access. Active and trialing grant; past_due grants for
/// <see cref="PastDueGracePeriod"/> counted from the start of the billing period whose invoice failed; every other
/// status denies — paused too (Stripe's pause_collection, the simulator's pause), unless
/// <see cref="PausedGrantsAccess"/> is set. A subscription set to cancel at period end grants until that period ends.
/// </summary>
public sealed record AccessPolicy
{
    private AccessPolicy(TimeSpan pastDueGracePeriod, bool pausedGrantsAccess)
    {
        PastDueGracePeriod = pastDueGracePeriod;
        PausedGrantsAccess = pausedGrantsAccess;
    }

    public static AccessPolicy Default { get; } = new(TimeSpan.FromDays(7), pausedGrantsAccess: false);

    public TimeSpan PastDueGracePeriod { get; }

    /// <summary>A paused subscription keeps its access (default false: nothing is collected, nothing is granted).</summary>
    public bool PausedGrantsAccess { get; }

    public static Result<AccessPolicy> Create(TimeSpan pastDueGracePeriod, bool pausedGrantsAccess = false) =>
        pastDueGracePeriod < TimeSpan.Zero
            ? Error.Validation("billing.entitlements.grace_period_negative", "The past-due grace period cannot be negative.")
            : new AccessPolicy(pastDueGracePeriod, pausedGrantsAccess);

    /// <summary>
    /// Whether <paramref name="subscription"/> grants access at <paramref name="now"/>, and until when that answer
    /// holds without new provider facts (null: until the provider says otherwise).
    /// </summary>
    public bool Grants(SubscriptionAccess subscription, DateTimeOffset now, out DateTimeOffset? until)
    {
        until = null;
        DateTimeOffset? end = subscription.Status switch
        {
            SubscriptionStatus.Active or SubscriptionStatus.Trialing => null,
            SubscriptionStatus.Paused when PausedGrantsAccess => null,
            SubscriptionStatus.PastDue => subscription.CurrentPeriodStart + PastDueGracePeriod,
            _ => DateTimeOffset.MinValue,
        };

        if (subscription.CancelAtPeriodEnd && (end is null || subscription.CurrentPeriodEnd < end))
        {
            end = subscription.CurrentPeriodEnd;
        }

        if (end is { } deadline && now >= deadline)
        {
            return false;
        }

        until = end;
        return true;
    }
}

/// <summary>The inputs of the access policy for one subscription, as a value.</summary>
public readonly record struct SubscriptionAccess(
    string PlanId,
    SubscriptionStatus Status,
    bool CancelAtPeriodEnd,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd);
