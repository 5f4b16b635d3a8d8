using Microsoft.EntityFrameworkCore;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// The hand-written migrations must build exactly the schema the EF model describes: same tables, columns (type,
/// nullability), keys, indexes and foreign keys. A new entity or property without a migration fails here.
/// </summary>
public abstract class MigrationsMatchModelTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Model_HasNoChangesThatNoMigrationCaptures()
    {
        await using var context = database.CreateContext();

        Assert.False(context.Database.HasPendingModelChanges(),
            $"The {database.Provider} model has changes no migration captures: run 'bash build/add-migration.sh <Name>' (docs/migrations.md).");
    }

    [Fact]
    public async Task Migrate_FromEmpty_BuildsExactlyTheModelSchema()
    {
        await using var context = database.CreateContext();

        var expected = SchemaSnapshot.FromModel(context);
        var actual = await SchemaSnapshot.FromDatabaseAsync(context);

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"Schema differs from the EF model.\nIn the model but not the database:\n  {string.Join("\n  ", missing)}\n" +
            $"In the database but not the model:\n  {string.Join("\n  ", unexpected)}");
        Assert.Contains("table organizations", actual);
    }
}

public sealed class PostgresMigrationsMatchModelTests(PostgresTestDatabase database)
    : MigrationsMatchModelTests<PostgresTestDatabase>(database);

public sealed class SqliteMigrationsMatchModelTests(SqliteTestDatabase database)
    : MigrationsMatchModelTests<SqliteTestDatabase>(database);
