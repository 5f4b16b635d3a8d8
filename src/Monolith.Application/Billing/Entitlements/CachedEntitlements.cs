using Monolith.Domain.Billing.Entitlements;

namespace Monolith.Application.Billing.Entitlements;

internal sealed class CachedEntitlements(EntitlementCache cache, IEntitlementSnapshotSource source, TimeProvider time) : IEntitlements
{
    public ValueTask<EntitlementCheck> CheckAsync(Guid billingAccountId, string featureId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featureId);
        if (cache.TryGet(billingAccountId, out var snapshot) && !snapshot.IsStale(time.GetUtcNow()))
        {
            return new ValueTask<EntitlementCheck>(ToCheck(snapshot.Check(featureId)));
        }

        return LoadAndCheckAsync(billingAccountId, featureId, snapshot, cancellationToken);
    }

    private async ValueTask<EntitlementCheck> LoadAndCheckAsync(
        Guid billingAccountId, string featureId, EntitlementSnapshot? stale, CancellationToken cancellationToken)
    {
        var version = cache.Version;
        var snapshot = await source.LoadAsync(billingAccountId, cancellationToken);
        cache.AddLoaded(billingAccountId, snapshot, version, stale);
        return ToCheck(snapshot.Check(featureId));
    }

    private static EntitlementCheck ToCheck(FeatureEntitlement entitlement) =>
        new(entitlement.Allowed, entitlement.Unlimited, entitlement.Limit);
}
