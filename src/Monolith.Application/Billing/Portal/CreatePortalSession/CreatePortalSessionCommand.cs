using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Portal.CreatePortalSession;

/// <summary>
/// A link to the provider's billing portal (payment methods, invoices). The customer is taken from the store for the
/// caller's organisation — never from input. Owners and admins.
/// </summary>
public sealed record CreatePortalSessionCommand(Guid OrganizationId, string ReturnUrl) : ICommand<PortalSessionCreated>, IProviderCallingCommand, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}

public sealed record PortalSessionCreated(Uri Url);
