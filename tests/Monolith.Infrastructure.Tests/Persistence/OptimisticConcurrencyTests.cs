using Microsoft.EntityFrameworkCore;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Infrastructure.Identity;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>Two writers that loaded the same aggregate: the second save fails instead of silently overwriting.</summary>
public abstract class OptimisticConcurrencyTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Save_WhenAnotherWriterSavedFirst_ThrowsConcurrencyException()
    {
        var id = await CreateOrganizationAsync();
        await using var alice = database.CreateContext();
        await using var bob = database.CreateContext();
        var aliceCopy = await alice.Organizations.SingleAsync(o => o.Id == id);
        var bobCopy = await bob.Organizations.SingleAsync(o => o.Id == id);

        aliceCopy.Rename("Alice's name", DateTimeOffset.UtcNow);
        await alice.SaveChangesAsync();
        bobCopy.Rename("Bob's name", DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => bob.SaveChangesAsync());
        await using var check = database.CreateContext();
        var saved = await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == id);
        Assert.Equal("Alice's name", saved.Name);
        Assert.Equal(1, saved.Version);
    }

    [Fact]
    public async Task Save_ChildOnlyChange_StillBumpsTheAggregateVersion()
    {
        var id = await CreateOrganizationAsync();
        var newMember = await CreateUserAsync();
        await using (var context = database.CreateContext())
        {
            var organization = await context.Organizations.SingleAsync(o => o.Id == id);
            organization.AddMember(newMember, OrganizationRole.Member, DateTimeOffset.UtcNow);
            await context.SaveChangesAsync();
        }

        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Organizations.Where(o => o.Id == id).Select(o => o.Version).SingleAsync());
        Assert.Equal(2, await check.Memberships.CountAsync(m => m.OrganizationId == id));
    }

    private async Task<Guid> CreateOrganizationAsync()
    {
        var owner = await CreateUserAsync();
        await using var context = database.CreateContext();
        var organization = Organization.Create(Guid.NewGuid(), "Initial", owner, isPersonal: false, DateTimeOffset.UtcNow).Value;
        context.Organizations.Add(organization);
        await context.SaveChangesAsync();
        return organization.Id;
    }

    private async Task<Guid> CreateUserAsync()
    {
        await using var context = database.CreateContext();
        var user = new ApplicationUser { Id = Guid.NewGuid(), UserName = $"{Guid.NewGuid():N}@example.test", CreatedAt = DateTimeOffset.UtcNow };
        context.Users.Add(user);
        await context.SaveChangesAsync();
        return user.Id;
    }
}

public sealed class PostgresOptimisticConcurrencyTests(PostgresTestDatabase database)
    : OptimisticConcurrencyTests<PostgresTestDatabase>(database);

public sealed class SqliteOptimisticConcurrencyTests(SqliteTestDatabase database)
    : OptimisticConcurrencyTests<SqliteTestDatabase>(database);
