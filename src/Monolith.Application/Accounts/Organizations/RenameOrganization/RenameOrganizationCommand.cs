using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Accounts.Organizations.RenameOrganization;

/// <summary>
/// Renames an organisation (owner/admin). <see cref="ExpectedVersion"/> is the version the caller last read:
/// if someone saved in between, the rename is refused with a conflict instead of overwriting their change.
/// </summary>
public sealed record RenameOrganizationCommand(Guid OrganizationId, string Name, long ExpectedVersion)
    : ICommand<RenameOrganizationResult>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}

public sealed record RenameOrganizationResult(Guid OrganizationId, string Name);
