namespace Monolith.Domain.Accounts.Organizations;

/// <summary>A member's role in an organisation. Owners and admins may manage billing; members may only read.</summary>
public enum OrganizationRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

public static class OrganizationRoleExtensions
{
    public static bool IsAtLeast(this OrganizationRole role, OrganizationRole required) => role >= required;
}
