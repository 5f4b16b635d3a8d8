using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Checkout;

public static class CheckoutErrors
{
    public static readonly Error PriceNotFound = Error.NotFound("billing.checkout.price_not_found", "There is no such price in the catalogue.");

    public static readonly Error PriceInactive = Error.Rule("billing.checkout.price_inactive", "This price is no longer offered.");

    public static readonly Error PriceNotOffered = Error.Rule(
        "billing.checkout.price_not_offered", "This price is not available with the configured payment provider.");

    public static readonly Error RedirectNotAllowed = Error.Validation(
        "billing.checkout.redirect_not_allowed", "Success and cancel URLs must be on this site or on a configured allowlist.");

    public const string AlreadySubscribedCode = "billing.checkout.already_subscribed";

    /// <summary>
    /// A base-plan checkout while the account already has a live base-plan subscription (<paramref name="current"/>,
    /// in the problem's <c>currentSubscription</c>): the plan-change flow switches it instead.
    /// </summary>
    public static Error AlreadySubscribed(CurrentSubscription current) =>
        Error.Conflict(AlreadySubscribedCode, "This account already has a subscription. Switch its plan instead of subscribing again.")
            with { Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["currentSubscription"] = current } };

    public const string AlreadyOwnedCode = "billing.checkout.already_owned";

    /// <summary>A one-time product the account already owns (and the catalogue does not mark repeatable); <c>planId</c> names it.</summary>
    public static Error AlreadyOwned(string planId) =>
        Error.Conflict(AlreadyOwnedCode, "This account already owns this product.")
            with { Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["planId"] = planId } };
}

/// <summary>The live base-plan subscription a checkout conflicted with.</summary>
public sealed record CurrentSubscription(Guid Id, string PlanId, string PriceId, SubscriptionStatus Status);
