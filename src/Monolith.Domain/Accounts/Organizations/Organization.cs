using Monolith.Domain.Common;

namespace Monolith.Domain.Accounts.Organizations;

/// <summary>
/// The tenant that owns billing. Every user gets a personal organisation on registration and may belong to others.
/// </summary>
public sealed class Organization : AggregateRoot<Guid>
{
    private readonly List<Membership> _memberships = [];

    private Organization()
    {
        Name = string.Empty;
    }

    public string Name { get; private set; }
    public bool IsPersonal { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<Membership> Memberships => _memberships;

    public static Result<Organization> Create(Guid id, string name, Guid ownerUserId, bool isPersonal, DateTimeOffset now)
    {
        var validName = ValidateName(name);
        if (validName.IsFailure)
        {
            return validName.Error;
        }

        var organization = new Organization
        {
            Id = id,
            Name = validName.Value,
            IsPersonal = isPersonal,
            CreatedAt = now,
        };
        organization._memberships.Add(new Membership(Guid.NewGuid(), id, ownerUserId, OrganizationRole.Owner, now));
        organization.Raise(new OrganizationCreated(id, organization.Name, ownerUserId, isPersonal, now));
        return organization;
    }

    public OrganizationRole? RoleOf(Guid userId) => _memberships.Find(m => m.UserId == userId)?.Role;

    public Result Rename(string name, DateTimeOffset now)
    {
        var validName = ValidateName(name);
        if (validName.IsFailure)
        {
            return validName.Error;
        }

        if (validName.Value == Name)
        {
            return Result.Success();
        }

        var old = Name;
        Name = validName.Value;
        Raise(new OrganizationRenamed(Id, old, Name, now));
        return Result.Success();
    }

    public Result AddMember(Guid userId, OrganizationRole role, DateTimeOffset now)
    {
        if (RoleOf(userId) is not null)
        {
            return OrganizationErrors.AlreadyMember;
        }

        _memberships.Add(new Membership(Guid.NewGuid(), Id, userId, role, now));
        Raise(new MemberAdded(Id, userId, role, now));
        return Result.Success();
    }

    public Result ChangeRole(Guid userId, OrganizationRole role, DateTimeOffset now)
    {
        var membership = _memberships.Find(m => m.UserId == userId);
        if (membership is null)
        {
            return OrganizationErrors.NotMember;
        }

        if (membership.Role == role)
        {
            return Result.Success();
        }

        if (membership.Role == OrganizationRole.Owner && _memberships.Count(m => m.Role == OrganizationRole.Owner) == 1)
        {
            return OrganizationErrors.LastOwner;
        }

        var old = membership.Role;
        membership.ChangeRole(role);
        Raise(new MemberRoleChanged(Id, userId, old, role, now));
        return Result.Success();
    }

    private static Result<string> ValidateName(string? name)
    {
        var valid = DisplayName.Create(name, OrganizationErrors.NameMaxLength, OrganizationErrors.NameRequired, OrganizationErrors.NameTooLong);
        return valid.IsFailure ? valid.Error : valid.Value.Value;
    }
}
