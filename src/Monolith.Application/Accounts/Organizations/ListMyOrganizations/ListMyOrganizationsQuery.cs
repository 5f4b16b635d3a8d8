using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Accounts.Organizations.ListMyOrganizations;

/// <summary>The organisations the caller belongs to, personal first.</summary>
public sealed record ListMyOrganizationsQuery : IQuery<IReadOnlyList<OrganizationSummary>>, IAuthenticatedRequest;

public sealed record OrganizationSummary(Guid OrganizationId, string Name, bool IsPersonal, OrganizationRole Role, long Version);
