using Microsoft.AspNetCore.Identity;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Identity;

internal sealed class IdentityService(UserManager<ApplicationUser> users, TimeProvider clock) : IIdentityService
{
    public static readonly Error EmailTaken = Error.Conflict("accounts.user.email_taken", "An account with this email already exists.");

    public async Task<Result<Guid>> CreateUserAsync(string email, string password, CancellationToken cancellationToken)
    {
        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            CreatedAt = clock.GetUtcNow(),
        };

        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
        {
            return user.Id;
        }

        if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            return EmailTaken;
        }

        var details = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "Password" : "Email"] =
                created.Errors.Select(e => e.Description).ToArray(),
        };
        return Error.Validation("accounts.user.invalid", "The account could not be created.") with { Details = details };
    }
}
