using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Entitlements.CheckEntitlement;

/// <summary>
/// "May this organisation use <see cref="FeatureId"/> right now?" — or, with <see cref="PriceId"/>, "does it hold a
/// granting subscription to that price's plan?". Exactly one of the two is given. Any member may ask.
/// </summary>
public sealed record CheckEntitlementQuery(Guid OrganizationId, string? FeatureId, string? PriceId = null)
    : IQuery<FeatureBalance>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}
