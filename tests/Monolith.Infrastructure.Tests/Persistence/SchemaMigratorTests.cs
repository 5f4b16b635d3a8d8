using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Monolith.Infrastructure.Persistence;
using Monolith.Infrastructure.Persistence.Migrations;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

public sealed class SchemaMigratorTests
{
    [Fact]
    public void Scripts_ExistForBothProvidersWithTheSameVersions()
    {
        var postgres = SchemaMigrator.ScriptsFor(DatabaseProvider.Postgres).Select(s => s.Version);
        var sqlite = SchemaMigrator.ScriptsFor(DatabaseProvider.Sqlite).Select(s => s.Version);

        Assert.NotEmpty(postgres);
        Assert.Equal(postgres, sqlite);
    }

    [Fact]
    public async Task Migrate_Twice_AppliesEverythingOnceThenNothing()
    {
        var name = $"mig_{Guid.NewGuid():N}";
        var connectionString = await PostgresTestDatabase.CreateEmptyAsync(name);
        try
        {
            var first = await MigrateAsync(connectionString);
            var second = await MigrateAsync(connectionString);

            Assert.Equal(SchemaMigrator.ScriptsFor(DatabaseProvider.Postgres).Count, first.Applied.Count);
            Assert.Empty(second.Applied);
        }
        finally
        {
            await PostgresTestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task Migrate_ConcurrentInstances_ApplyEachScriptExactlyOnce()
    {
        var name = $"mig_{Guid.NewGuid():N}";
        var connectionString = await PostgresTestDatabase.CreateEmptyAsync(name);
        try
        {
            var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => MigrateAsync(connectionString))));

            Assert.Equal(SchemaMigrator.ScriptsFor(DatabaseProvider.Postgres).Count, reports.Sum(r => r.Applied.Count));
        }
        finally
        {
            await PostgresTestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task Migrate_AfterAnAppliedScriptWasEdited_RefusesToRun()
    {
        var name = $"mig_{Guid.NewGuid():N}";
        var connectionString = await PostgresTestDatabase.CreateEmptyAsync(name);
        try
        {
            await MigrateAsync(connectionString);
            await using (var context = Context(connectionString))
            {
                await context.Database.ExecuteSqlRawAsync($"UPDATE {SchemaMigrator.HistoryTable} SET checksum = 'edited' WHERE version = 'V0001'");
            }

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(connectionString));

            Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresTestDatabase.DropAsync(name);
        }
    }

    private static async Task<MigrationReport> MigrateAsync(string connectionString)
    {
        await using var context = Context(connectionString);
        return await new SchemaMigrator(context, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    private static AppDbContext Context(string connectionString)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DependencyInjection.ConfigureProvider(options, new DatabaseOptions { Provider = "Postgres", PostgresConnectionString = connectionString });
        return new AppDbContext(options.Options, TimeProvider.System);
    }
}
