using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Subscriptions.ChangePlan;

/// <summary>
/// Moves a subscription to another catalogue price and/or seat count. An upgrade (more per period) takes effect now with
/// proration invoiced at once; a downgrade takes effect at the end of the period. Access follows the provider's
/// confirming event — a failed upgrade payment grants nothing. Owners and admins.
/// </summary>
public sealed record ChangePlanCommand(Guid OrganizationId, Guid SubscriptionId, string PriceId, int Quantity, string? IdempotencyKey = null)
    : ICommand<SubscriptionChangeRequested>, IProviderCallingCommand, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}
