using Microsoft.EntityFrameworkCore;
using Monolith.Application.Accounts.Users.RegisterUser;
using Monolith.Domain.Accounts.Organizations;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Accounts;

public sealed class RegisterUserTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task Register_NewEmail_CreatesUserAndPersonalOrganizationOwnedByThem()
    {
        await using var host = new ApplicationHost(database);

        var result = await host.SendAsync(new RegisterUserCommand("ada@example.test", "correct-horse-battery"));

        var organization = await host.QueryDbAsync(db => db.Organizations.AsNoTracking().SingleAsync(o => o.Id == result.Value.PersonalOrganizationId));
        Assert.True(organization.IsPersonal);
        Assert.Equal("ada's organisation", organization.Name);
        Assert.Equal(OrganizationRole.Owner, organization.RoleOf(result.Value.UserId));
    }

    [Theory]
    [InlineData("not-an-email", "correct-horse-battery", "Email")]
    [InlineData("bob@example.test", "short", "Password")]
    public async Task Register_InvalidInput_ReturnsFieldErrorAndCreatesNothing(string email, string password, string field)
    {
        await using var host = new ApplicationHost(database);
        var usersBefore = await host.QueryDbAsync(db => db.Users.CountAsync());

        var result = await host.SendAsync(new RegisterUserCommand(email, password));

        Assert.Equal("validation.failed", result.Error!.Code);
        Assert.Contains(field, result.Error.Details!.Keys);
        Assert.Equal(usersBefore, await host.QueryDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public void Command_ToString_NeverContainsThePassword()
    {
        var text = new RegisterUserCommand("ada@example.test", "super-secret-value").ToString();

        Assert.DoesNotContain("super-secret-value", text, StringComparison.Ordinal);
    }
}
