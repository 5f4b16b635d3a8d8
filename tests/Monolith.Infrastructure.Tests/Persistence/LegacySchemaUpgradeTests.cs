using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Monolith.Infrastructure.Persistence;
using Monolith.Infrastructure.Tests.Persistence.LegacySchema;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// A database built by the legacy SQL scripts V0001–V0007, with data in every table, is carried onto the EF Core
/// history by <c>migrate</c> in place: every row as it was, the schema equal to a database EF built (the class
/// fixture), the baseline recorded and the migrations after it applied (on PostgreSQL DropQuartzSchema removes the
/// legacy V0006 Quartz tables, as it does on an EF-built database), the old history table gone (ADR 0003).
/// </summary>
public abstract class LegacySchemaUpgradeTests<TDatabase>(TDatabase fresh) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Baseline = "20261207132552_Baseline";

    protected abstract Task<EmptyDatabase> CreateEmptyAsync();

    [Fact]
    public async Task Migrate_PopulatedLegacyDatabase_KeepsEveryRowAndEndsOnTheEfHistory()
    {
        await using var legacy = await CreateEmptyAsync();
        await LegacySchemaScripts.ApplyAsync(legacy);
        SortedDictionary<string, string> written;
        // The rows a legacy deployment held: only the columns its schema has (later migrations' columns take their defaults).
        await using (var context = await LegacyColumnsModelCustomizer.CreateContextAsync(legacy, ModelSamples.Clock))
        {
            written = await ModelSamples.WriteAsync(context);
        }

        var legacyColumns = new HashSet<string>(StringComparer.Ordinal);
        var rowsBefore = await DumpRowsAsync(legacy, legacyColumns, record: true);

        var first = await MigrateAsync(legacy);
        var second = await MigrateAsync(legacy);

        await using var reload = legacy.CreateContext();
        var migrations = reload.Database.GetMigrations().ToList();
        Assert.Equal(Baseline, migrations[0]);
        Assert.True(first.AdoptedLegacyHistory);
        Assert.Equal(migrations.Skip(1), first.Applied); // the baseline is adopted, the migrations after it are applied
        Assert.Contains(first.Applied, m => m.EndsWith("_DropQuartzSchema", StringComparison.Ordinal));
        Assert.False(second.AdoptedLegacyHistory);
        Assert.Empty(second.Applied);
        // Every legacy row with every legacy column's value (columns added by later migrations are compared as schema below).
        Assert.Equal(rowsBefore, await DumpRowsAsync(legacy, legacyColumns, record: false));
        Assert.Equal(written, await ModelSamples.ReadAsync(reload, written.Keys));
        Assert.Equal(migrations, await reload.Database.GetAppliedMigrationsAsync());
        await using var freshContext = fresh.CreateContext();
        var expected = await SchemaSnapshot.FromDatabaseAsync(freshContext);
        var actual = await SchemaSnapshot.FromDatabaseAsync(reload);
        Assert.True(expected.SetEquals(actual),
            $"Upgraded legacy schema differs from the EF-built one.\nOnly in the EF-built database:\n  {string.Join("\n  ", expected.Except(actual))}\n" +
            $"Only in the upgraded database:\n  {string.Join("\n  ", actual.Except(expected))}");
    }

    [Fact]
    public async Task Migrate_LegacyDatabaseShortOfV0007_IsRefusedAndLeftAsItWas()
    {
        await using var legacy = await CreateEmptyAsync();
        await LegacySchemaScripts.ApplyAsync(legacy, count: 5);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(legacy));

        Assert.Contains("only a database at V0007 can be carried onto the EF Core history", error.Message, StringComparison.Ordinal);
        await using var context = legacy.CreateContext();
        Assert.Equal(5, await context.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM schema_migrations").SingleAsync());
        Assert.Empty(await context.Database.GetAppliedMigrationsAsync());
    }

    private static async Task<MigrationReport> MigrateAsync(TestDatabase database)
    {
        await using var context = database.CreateContext();
        return await new DatabaseMigrator(context, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    /// <summary>Every row of every model table, as text, sorted: equal before and after means nothing was lost or changed.</summary>
    /// <param name="columns">"table.column" names: filled with every column seen (<paramref name="record"/>) or the only ones dumped.</param>
    private static async Task<List<string>> DumpRowsAsync(TestDatabase database, HashSet<string> columns, bool record)
    {
        await using var context = database.CreateContext();
        var tables = context.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount)
                    .Where(i => record ? columns.Add($"{table}.{reader.GetName(i)}") || true : columns.Contains($"{table}.{reader.GetName(i)}"))
                    .Select(i => $"{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}")
                    .Order(StringComparer.Ordinal);
                rows.Add($"{table}: {string.Join(", ", values)}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        Assert.NotEmpty(rows);
        return rows;
    }
}

/// <summary>An empty, unmigrated database of its own, dropped on dispose.</summary>
public sealed class EmptyDatabase : TestDatabase, IAsyncDisposable
{
    private readonly Func<Task> _drop;

    public EmptyDatabase(DatabaseProvider provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public override DatabaseProvider Provider { get; }
    public override Task InitializeAsync() => Task.CompletedTask;
    public override Task DisposeAsync() => _drop();
    async ValueTask IAsyncDisposable.DisposeAsync() => await _drop();

    public static async Task<EmptyDatabase> PostgresAsync()
    {
        var name = $"legacy_{Guid.NewGuid():N}";
        return new EmptyDatabase(DatabaseProvider.Postgres, await PostgresTestDatabase.CreateEmptyAsync(name), () => PostgresTestDatabase.DropAsync(name));
    }

    public static Task<EmptyDatabase> SqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("monolith-legacy-").FullName;
        return Task.FromResult(new EmptyDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "legacy.db")};Pooling=False", () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        }));
    }
}

public sealed class PostgresLegacySchemaUpgradeTests(PostgresTestDatabase fresh) : LegacySchemaUpgradeTests<PostgresTestDatabase>(fresh)
{
    protected override Task<EmptyDatabase> CreateEmptyAsync() => EmptyDatabase.PostgresAsync();
}

public sealed class SqliteLegacySchemaUpgradeTests(SqliteTestDatabase fresh) : LegacySchemaUpgradeTests<SqliteTestDatabase>(fresh)
{
    protected override Task<EmptyDatabase> CreateEmptyAsync() => EmptyDatabase.SqliteAsync();
}

/// <summary>
/// Builds the model with only the columns the (legacy) database has, so <see cref="ModelSamples"/> writes into it the
/// rows a legacy deployment could hold; a property added by a later migration is left out and, once migrated, reads as
/// its column's default, which is also what the in-memory sample holds.
/// </summary>
internal sealed class LegacyColumnsModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    /// <summary>Provider name → "table.column" of the legacy schema (one model per provider, cached by EF).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<string>> Columns = new();

    public static async Task<AppDbContext> CreateContextAsync(TestDatabase database, TimeProvider clock)
    {
        await using (var context = database.CreateContext())
        {
            var columns = (await SchemaSnapshot.FromDatabaseAsync(context))
                .Where(fact => fact.StartsWith("column ", StringComparison.Ordinal))
                .Select(fact => string.Join('.', fact["column ".Length..].Split(' ')[0].Split('.')[^2..]))
                .ToHashSet(StringComparer.Ordinal);
            Columns[context.Database.ProviderName!] = columns;
        }

        return database.CreateContext(clock, options => options.ReplaceService<IModelCustomizer, LegacyColumnsModelCustomizer>());
    }

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        var columns = Columns[context.Database.ProviderName!];
        var tables = columns.Select(c => c[..c.LastIndexOf('.')]).ToHashSet(StringComparer.Ordinal);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is { } t && tables.Contains(t)).ToList())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetDeclaredProperties()
                         .Where(p => !p.IsKey() && !p.IsForeignKey() && !columns.Contains($"{table}.{p.GetColumnName()}")).ToList())
            {
                modelBuilder.Entity(entity.ClrType).Ignore(property.Name);
            }
        }
    }
}
