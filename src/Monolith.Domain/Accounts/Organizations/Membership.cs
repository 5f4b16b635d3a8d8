using Monolith.Domain.Common;

namespace Monolith.Domain.Accounts.Organizations;

/// <summary>A user's membership of one organisation. Owned by <see cref="Organization"/>.</summary>
public sealed class Membership : Entity<Guid>
{
    private Membership()
    {
    }

    internal Membership(Guid id, Guid organizationId, Guid userId, OrganizationRole role, DateTimeOffset joinedAt)
    {
        Id = id;
        OrganizationId = organizationId;
        UserId = userId;
        Role = role;
        JoinedAt = joinedAt;
    }

    public Guid OrganizationId { get; private set; }
    public Guid UserId { get; private set; }
    public OrganizationRole Role { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }

    internal void ChangeRole(OrganizationRole role) => Role = role;
}
