using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Monolith.Infrastructure.Persistence;
using Npgsql;

namespace Monolith.TestSupport;

/// <summary>
/// A migrated database of its own for one test class (use as an xunit class fixture). PostgreSQL databases are cloned
/// from a template migrated once per test process; SQLite ones are files migrated by EF. To empty one in place between
/// tests, use <see cref="DatabaseReset"/> (Respawn); docs/benchmarks.md compares the two.
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    public abstract DatabaseProvider Provider { get; }
    public string ConnectionString { get; protected set; } = string.Empty;

    public DatabaseOptions Options => new()
    {
        Provider = Provider.ToString(),
        PostgresConnectionString = Provider == DatabaseProvider.Postgres ? ConnectionString : null,
        SqliteConnectionString = Provider == DatabaseProvider.Sqlite ? ConnectionString : null,
    };

    public AppDbContext CreateContext(TimeProvider? clock = null, Action<DbContextOptionsBuilder<AppDbContext>>? configure = null)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        Infrastructure.DependencyInjection.ConfigureProvider(options, Options);
        configure?.Invoke(options);
        return new AppDbContext(options.Options, clock ?? TimeProvider.System);
    }

    public abstract Task InitializeAsync();
    public abstract Task DisposeAsync();

    internal static async Task MigrateAsync(TestDatabase database)
    {
        await using var context = database.CreateContext();
        await context.Database.MigrateAsync();
    }
}

public sealed class PostgresTestDatabase : TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _template;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}";

    public override async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _template ??= await CreateTemplateAsync();
            await ExecuteAdminAsync($"CREATE DATABASE {DatabaseName} TEMPLATE {_template} STRATEGY FILE_COPY");
        }
        finally
        {
            Gate.Release();
        }

        ConnectionString = PostgresCluster.ConnectionStringFor(DatabaseName);
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
    }

    /// <summary>An empty, unmigrated database (for migration tests).</summary>
    public static async Task<string> CreateEmptyAsync(string name)
    {
        await ExecuteAdminAsync($"CREATE DATABASE {name}");
        return PostgresCluster.ConnectionStringFor(name);
    }

    public static Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        return ExecuteAdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"template_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        await ExecuteAdminAsync($"CREATE DATABASE {name}");
        var template = new PostgresTemplate(PostgresCluster.ConnectionStringFor(name));
        await MigrateAsync(template);
        // A template with open connections cannot be cloned (CREATE DATABASE waits, then fails).
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresCluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class PostgresTemplate : TestDatabase
    {
        public PostgresTemplate(string connectionString) => ConnectionString = connectionString;
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;
        public override Task InitializeAsync() => Task.CompletedTask;
        public override Task DisposeAsync() => Task.CompletedTask;
    }
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("monolith-sqlite-").FullName;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override async Task InitializeAsync()
    {
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")};Pooling=False";
        await MigrateAsync(this);
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A PostgreSQL database someone else created (e.g. on a <see cref="Storm.ThrowawayPostgres"/> for benchmarks), migrated on initialise.</summary>
public sealed class ExistingPostgresDatabase : TestDatabase
{
    public ExistingPostgresDatabase(string connectionString) => ConnectionString = connectionString;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override Task InitializeAsync() => MigrateAsync(this);

    public override Task DisposeAsync() => Task.CompletedTask;
}
