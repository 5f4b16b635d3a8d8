using Microsoft.EntityFrameworkCore;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// <see cref="DatabaseReset"/> (Respawn) empties a used test database in place: every row of the app goes, the schema
/// and EF's migration history stay, and the database takes the same writes again (unique keys included).
/// </summary>
public abstract class DatabaseResetTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Reset_AfterAClassWroteRows_LeavesEveryTableEmpty_AndKeepsTheMigrationHistory()
    {
        const string email = "reset-owner@example.test";
        await using (var host = new ApplicationHost(database))
        {
            await host.RegisterAsync(email);
            Assert.NotEqual(0, await host.QueryDbAsync(db => db.Organizations.CountAsync()));
            Assert.NotEqual(0, await host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
        }

        var reset = new DatabaseReset(database);
        await reset.ResetAsync();

        await using (var context = database.CreateContext())
        {
            Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
            Assert.Equal(0, await context.Organizations.CountAsync());
            Assert.Equal(0, await context.OutboxMessages.CountAsync());
            Assert.Equal(0, await context.OutboxDeliveries.CountAsync());
            Assert.Equal(0, await context.Users.CountAsync());
        }

        // The same email again: the unique index on the normalised email would refuse it had the row survived.
        await using (var host = new ApplicationHost(database))
        {
            await host.RegisterAsync(email);
            Assert.Equal(1, await host.QueryDbAsync(db => db.Users.CountAsync()));
        }

        await reset.ResetAsync();
        await using var after = database.CreateContext();
        Assert.Equal(0, await after.Users.CountAsync());
    }
}

public sealed class PostgresDatabaseResetTests(PostgresTestDatabase database) : DatabaseResetTests<PostgresTestDatabase>(database);

public sealed class SqliteDatabaseResetTests(SqliteTestDatabase database) : DatabaseResetTests<SqliteTestDatabase>(database);
