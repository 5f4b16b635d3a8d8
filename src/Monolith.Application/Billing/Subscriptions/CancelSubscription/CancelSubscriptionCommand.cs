using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Subscriptions.CancelSubscription;

/// <summary>Cancels at the end of the period (default: access continues until then) or immediately. Owners and admins.</summary>
public sealed record CancelSubscriptionCommand(Guid OrganizationId, Guid SubscriptionId, bool AtPeriodEnd = true, string? IdempotencyKey = null)
    : ICommand<SubscriptionChangeRequested>, IProviderCallingCommand, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}
