using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Accounts.Organizations.GetOrganization;

/// <summary>One organisation and its members; any member may read it.</summary>
public sealed record GetOrganizationQuery(Guid OrganizationId) : IQuery<OrganizationDetails>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}

public sealed record OrganizationDetails(Guid OrganizationId, string Name, bool IsPersonal, long Version, IReadOnlyList<OrganizationMember> Members);

public sealed record OrganizationMember(Guid UserId, OrganizationRole Role, DateTimeOffset JoinedAt);
