using Microsoft.AspNetCore.Identity;

namespace Monolith.Infrastructure.Identity;

/// <summary>A person who can sign in. Organisation membership lives in the domain (Accounts/Organizations).</summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ApplicationRole : IdentityRole<Guid>
{
    public ApplicationRole()
    {
    }

    public ApplicationRole(string name) : base(name)
    {
        Id = Guid.NewGuid();
    }
}

/// <summary>Application-wide roles (organisation roles are per membership, not here).</summary>
public static class AppRoles
{
    /// <summary>Operators: the ops dashboard and refunds.</summary>
    public const string Ops = "ops";
}
