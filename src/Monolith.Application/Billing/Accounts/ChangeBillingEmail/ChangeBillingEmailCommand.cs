using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Accounts.ChangeBillingEmail;

/// <summary>
/// Sets the email billing mail goes to (and the provider's customer gets) instead of the owner's. Owners and admins.
/// The provider's customer is updated from the outbox after the change commits.
/// </summary>
public sealed record ChangeBillingEmailCommand(Guid OrganizationId, string Email) : ICommand<BillingEmailResult>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}

public sealed record BillingEmailResult(Guid BillingAccountId, string Email);
