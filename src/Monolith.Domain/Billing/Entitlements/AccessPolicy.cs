using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Entitlements;

/// <summary>
/// Which subscription states grant access. Active and trialing grant; past_due grants for
/// <see cref="PastDueGracePeriod"/> counted from the start of the billing period whose invoice failed; every other
/// status denies. A subscription set to cancel at period end grants until that period ends.
/// </summary>
public sealed record AccessPolicy
{
    private AccessPolicy(TimeSpan pastDueGracePeriod) => PastDueGracePeriod = pastDueGracePeriod;

    public static AccessPolicy Default { get; } = new(TimeSpan.FromDays(7));

    public TimeSpan PastDueGracePeriod { get; }

    public static Result<AccessPolicy> Create(TimeSpan pastDueGracePeriod) =>
        pastDueGracePeriod < TimeSpan.Zero
            ? Error.Validation("billing.entitlements.grace_period_negative", "The past-due grace period cannot be negative.")
            : new AccessPolicy(pastDueGracePeriod);

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
