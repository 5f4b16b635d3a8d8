using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Subscriptions;

public static class SubscriptionErrors
{
    public static readonly Error SnapshotIncomplete =
        Error.Validation("billing.subscription.snapshot_incomplete", "A subscription snapshot needs a subscription id, a price, a plan and a known status.");

    public static readonly Error QuantityInvalid =
        Error.Validation("billing.subscription.quantity_invalid", "A subscription has at least one seat.");

    public static readonly Error PeriodInvalid =
        Error.Validation("billing.subscription.period_invalid", "A billing period cannot end before it starts.");

    public static readonly Error SnapshotOfOtherSubscription =
        Error.Validation("billing.subscription.snapshot_mismatch", "The snapshot describes a different subscription.");

    public static readonly Error NotFound =
        Error.NotFound("billing.subscription.not_found", "Subscription not found.");

    public static readonly Error NotTrialing =
        Error.Rule("billing.subscription.not_trialing", "The subscription is not in a trial.");

    public static Error TransitionNotAllowed(SubscriptionStatus from, SubscriptionStatus to) =>
        Error.Rule("billing.subscription.transition_not_allowed", $"A subscription cannot go from {from} to {to}.");
}
