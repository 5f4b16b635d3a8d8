using Microsoft.EntityFrameworkCore;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// EF's own check that the migrations capture the model (a model change without a migration fails here, on each
/// provider), and that a database built by the migrations stores and returns a sample of every table's rows.
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
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task MigratedDatabase_RoundTripsASampleOfEveryTable()
    {
        SortedDictionary<string, string> written;
        await using (var context = database.CreateContext(ModelSamples.Clock))
        {
            written = await ModelSamples.WriteAsync(context);
        }

        await using var reload = database.CreateContext();
        var read = await ModelSamples.ReadAsync(reload, written.Keys);

        Assert.Equal(written, read);
    }
}

public sealed class PostgresMigrationsMatchModelTests(PostgresTestDatabase database)
    : MigrationsMatchModelTests<PostgresTestDatabase>(database);

public sealed class SqliteMigrationsMatchModelTests(SqliteTestDatabase database)
    : MigrationsMatchModelTests<SqliteTestDatabase>(database);
