using System.Data.Common;
using Microsoft.Data.Sqlite;
using Monolith.Infrastructure.Persistence;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace Monolith.TestSupport;

/// <summary>
/// Empties a migrated test database in place with Respawn: every table of the app (and Hangfire's job tables on
/// PostgreSQL) loses its rows, the schema and EF's <c>__EFMigrationsHistory</c> stay. Respawn reads the foreign keys
/// once (on the first reset) and deletes in dependency order afterwards.
/// </summary>
public sealed class DatabaseReset
{
    private static readonly Table[] Kept = ["__EFMigrationsHistory", new Table("hangfire", "schema")];

    private readonly TestDatabase _database;
    private Respawner? _respawner;

    public DatabaseReset(TestDatabase database) => _database = database;

    public async Task ResetAsync()
    {
        await using var connection = Open(_database);
        await connection.OpenAsync();
        _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = _database.Provider == DatabaseProvider.Postgres ? DbAdapter.Postgres : DbAdapter.Sqlite,
            SchemasToInclude = _database.Provider == DatabaseProvider.Postgres ? ["public", "hangfire"] : [],
            TablesToIgnore = Kept,
        });
        await _respawner.ResetAsync(connection);
    }

    private static DbConnection Open(TestDatabase database) => database.Provider == DatabaseProvider.Postgres
        ? new NpgsqlConnection(database.ConnectionString)
        : new SqliteConnection(database.ConnectionString);
}
