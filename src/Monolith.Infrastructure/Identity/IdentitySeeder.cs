using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Monolith.Application.Accounts.Users.RegisterUser;

namespace Monolith.Infrastructure.Identity;

/// <summary>The well-known development accounts. They exist only where the seeder runs with <c>development: true</c>.</summary>
public static class DevelopmentAccounts
{
    public const string DemoEmail = "demo@monolith.local";
    public const string DemoPassword = "demo-password-1";
    public const string OpsEmail = "ops@monolith.local";
    public const string OpsPassword = "ops-password-1";
}

/// <summary>Ensures the <c>ops</c> role exists everywhere, and in development a demo user and an ops user.</summary>
public sealed class IdentitySeeder(
    RoleManager<ApplicationRole> roles,
    UserManager<ApplicationUser> users,
    IMediator mediator,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedAsync(bool development, CancellationToken cancellationToken)
    {
        if (!await roles.RoleExistsAsync(AppRoles.Ops))
        {
            var created = await roles.CreateAsync(new ApplicationRole(AppRoles.Ops));
            if (!created.Succeeded && !await roles.RoleExistsAsync(AppRoles.Ops))
            {
                throw new InvalidOperationException($"Could not create the '{AppRoles.Ops}' role: {string.Join("; ", created.Errors.Select(e => e.Code))}");
            }
        }

        if (!development)
        {
            return;
        }

        await EnsureUserAsync(DevelopmentAccounts.DemoEmail, DevelopmentAccounts.DemoPassword, ops: false, cancellationToken);
        await EnsureUserAsync(DevelopmentAccounts.OpsEmail, DevelopmentAccounts.OpsPassword, ops: true, cancellationToken);
        logger.LogDebug("Development accounts {DemoEmail} and {OpsEmail} are present", DevelopmentAccounts.DemoEmail, DevelopmentAccounts.OpsEmail);
    }

    private async Task EnsureUserAsync(string email, string password, bool ops, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            var registered = await mediator.Send(new RegisterUserCommand(email, password), cancellationToken);
            if (registered.IsFailure && registered.Error.Code != IdentityService.EmailTaken.Code)
            {
                throw new InvalidOperationException($"Could not seed {email}: {registered.Error.Code}");
            }

            user = await users.FindByEmailAsync(email);
        }

        if (ops && user is not null && !await users.IsInRoleAsync(user, AppRoles.Ops))
        {
            await users.AddToRoleAsync(user, AppRoles.Ops);
        }
    }
}
