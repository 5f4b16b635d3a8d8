using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Entitlements.ListBalances;

/// <summary>Every feature the catalogue knows, with the organisation's entitlement and usage, in one call.</summary>
public sealed record ListBalancesQuery(Guid OrganizationId) : IQuery<IReadOnlyList<FeatureBalance>>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}
