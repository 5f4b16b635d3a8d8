using Monolith.Domain.Common;

namespace Monolith.Domain.Accounts.Organizations;

public sealed record OrganizationCreated(Guid OrganizationId, string Name, Guid OwnerUserId, bool IsPersonal, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record OrganizationRenamed(Guid OrganizationId, string OldName, string NewName, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record MemberAdded(Guid OrganizationId, Guid UserId, OrganizationRole Role, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record MemberRoleChanged(Guid OrganizationId, Guid UserId, OrganizationRole OldRole, OrganizationRole NewRole, DateTimeOffset OccurredAt)
    : IDomainEvent;
