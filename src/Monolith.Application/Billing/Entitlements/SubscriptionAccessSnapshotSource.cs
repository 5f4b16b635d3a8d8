using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;

namespace Monolith.Application.Billing.Entitlements;

/// <summary>Evaluates the domain access policy over an account's subscriptions against the configured catalogue.</summary>
internal sealed class SubscriptionAccessSnapshotSource(
    ISubscriptionAccessReader reader,
    PlanCatalog catalog,
    AccessPolicy policy,
    TimeProvider time) : IEntitlementSnapshotSource
{
    public async ValueTask<EntitlementSnapshot> LoadAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        var subscriptions = await reader.ListAsync(billingAccountId, cancellationToken);
        return EntitlementSnapshot.Evaluate(subscriptions, catalog.Plans, policy, time.GetUtcNow());
    }
}
