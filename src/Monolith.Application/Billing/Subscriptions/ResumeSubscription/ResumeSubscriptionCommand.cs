using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Subscriptions.ResumeSubscription;

/// <summary>Withdraws a scheduled cancel-at-period-end. Owners and admins.</summary>
public sealed record ResumeSubscriptionCommand(Guid OrganizationId, Guid SubscriptionId, string? IdempotencyKey = null)
    : ICommand<SubscriptionChangeRequested>, IProviderCallingCommand, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}
