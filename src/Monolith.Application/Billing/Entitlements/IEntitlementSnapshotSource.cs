using Monolith.Domain.Billing.Entitlements;

namespace Monolith.Application.Billing.Entitlements;

/// <summary>Computes an account's entitlements when the cache has none (or only a stale one).</summary>
public interface IEntitlementSnapshotSource
{
    ValueTask<EntitlementSnapshot> LoadAsync(Guid billingAccountId, CancellationToken cancellationToken);
}

/// <summary>Reads the access-relevant facts of an account's subscriptions (the persistence side implements it).</summary>
public interface ISubscriptionAccessReader
{
    ValueTask<IReadOnlyList<SubscriptionAccess>> ListAsync(Guid billingAccountId, CancellationToken cancellationToken);
}
