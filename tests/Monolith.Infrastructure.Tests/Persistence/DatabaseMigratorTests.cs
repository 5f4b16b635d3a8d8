using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// <c>migrate</c>: idempotent, and safe when several instances run it at once with more than one migration pending
/// (PostgreSQL: our advisory lock around the whole run; SQLite: EF's migration lock).
/// </summary>
public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task Migrate_Twice_AppliesEverythingOnceThenNothing()
    {
        await using var database = await EmptyDatabase.PostgresAsync();

        var first = await MigrateAsync(database);
        var second = await MigrateAsync(database);

        await using var context = database.CreateContext();
        Assert.Equal(context.Database.GetMigrations(), first.Applied);
        Assert.Empty(second.Applied);
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrate_ConcurrentInstances_AllSucceedAndApplyEachMigrationOnce()
    {
        await using var database = await EmptyDatabase.PostgresAsync();

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => MigrateAsync(database))));

        await using var context = database.CreateContext();
        Assert.True(context.Database.GetMigrations().Count() > 1);
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
        Assert.Single(reports, r => r.Applied.Count > 0); // one instance migrated, the others found nothing pending
        Assert.True(await context.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM organizations").SingleAsync() == 0);
    }

    [Fact]
    public async Task Migrate_ConcurrentInstancesOnSqlite_AllSucceedAndApplyEachMigrationOnce()
    {
        await using var database = await EmptyDatabase.SqliteAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => MigrateAsync(database))));

        await using var context = database.CreateContext();
        Assert.True(context.Database.GetMigrations().Count() > 1);
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
        Assert.True(await context.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM organizations").SingleAsync() == 0);
    }

    private static async Task<MigrationReport> MigrateAsync(Monolith.TestSupport.TestDatabase database)
    {
        await using var context = database.CreateContext();
        return await new DatabaseMigrator(context, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }
}
