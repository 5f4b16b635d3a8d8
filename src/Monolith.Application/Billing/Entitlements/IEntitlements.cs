namespace Monolith.Application.Billing.Entitlements;

/// <summary>
/// The hot path for "may this billing account use this feature?". A check served from the in-process cache completes
/// synchronously and allocates nothing; a miss (or a snapshot whose time-limited grant ran out) loads the account's
/// snapshot through <see cref="IEntitlementSnapshotSource"/> and caches it.
/// </summary>
public interface IEntitlements
{
    ValueTask<EntitlementCheck> CheckAsync(Guid billingAccountId, string featureId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The answer for one feature. A boolean feature is <see cref="Unlimited"/>; a metered one carries its
/// <see cref="Limit"/> per billing period (usage and balance are not part of this answer).
/// </summary>
public readonly record struct EntitlementCheck(bool Allowed, bool Unlimited, long? Limit)
{
    public static EntitlementCheck Denied => default;
}
