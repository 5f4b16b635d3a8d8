using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Monolith.Infrastructure.Persistence;

/// <summary>What <see cref="DatabaseMigrator.MigrateAsync"/> did: the migrations it found pending, and whether it adopted a legacy database.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, bool AdoptedLegacyHistory);

/// <summary>
/// Applies the EF Core migrations of the configured provider (<c>Database.MigrateAsync</c>) after carrying a database
/// created by the legacy SQL scripts onto the EF history (<see cref="LegacySchemaHistory"/>), all under one lock held
/// for the whole run, so many instances may start at once. docs/adr/0003-ef-core-migrations.md, docs/migrations.md.
/// <para>PostgreSQL: a session advisory lock (<c>pg_advisory_lock</c>) on the migrating connection. EF's own migration
/// lock there is taken per migration transaction, so with two or more pending migrations a second instance could read
/// the history between two of the first one's migrations and apply one again (duplicate key in
/// <c>__EFMigrationsHistory</c>). SQLite: EF's own lock (the <c>__EFMigrationsLock</c> row, taken before the history is
/// read and held until the last migration is applied) keeps concurrent runs apart; the report's <c>Applied</c> is what
/// was pending when this run started, so there two instances starting at once may both list it.</para>
/// </summary>
public sealed class DatabaseMigrator(AppDbContext db, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Migrations not yet applied (a legacy database not yet adopted lists the baseline: run <c>migrate</c>).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken) =>
        (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LegacySchemaHistory.AdvisoryLockKey})", cancellationToken);
            }

            try
            {
                var adopted = await LegacySchemaHistory.AdoptAsync(db, logger, cancellationToken);
                var pending = await PendingAsync(cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
                return new MigrationReport(pending, adopted);
            }
            finally
            {
                if (postgres)
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LegacySchemaHistory.AdvisoryLockKey})", CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// Databases created before EF Core migrations (the hand-written scripts V0001–V0007 and their history table
/// <c>schema_migrations</c>) have exactly the schema of the EF baseline migration (compared with pg_dump and
/// sqlite_master, docs/adr/0003). Adopting one records the baseline in <c>__EFMigrationsHistory</c> and drops the old
/// history table, in one transaction; the data is untouched and later migrations apply as usual. A legacy database
/// that stops before V0007 is refused: its schema is not the baseline's.
/// </summary>
internal static class LegacySchemaHistory
{
    public const string Table = "schema_migrations";
    public static readonly IReadOnlyList<string> Versions = ["V0001", "V0002", "V0003", "V0004", "V0005", "V0006", "V0007"];

    // The key the legacy migrator locked with: a legacy instance migrating at the same moment waits for us, and we for it.
    // DatabaseMigrator holds it (session level) around the whole run; taking it again here is re-entrant.
    internal const long AdvisoryLockKey = 0x4D6F6E6F6C697468;

    public static async Task<bool> AdoptAsync(AppDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await ExistsAsync(db, postgres, cancellationToken))
            {
                return false;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (postgres)
            {
                await ScalarAsync(db, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
            }

            if (!await ExistsAsync(db, postgres, cancellationToken))
            {
                return false; // another instance adopted it while we waited
            }

            var applied = await ReadVersionsAsync(db, cancellationToken);
            if (!applied.SequenceEqual(Versions))
            {
                throw new InvalidOperationException(
                    $"The database was created by the legacy SQL migrations but its '{Table}' table lists {string.Join(", ", applied)} " +
                    $"instead of {string.Join(", ", Versions)}: only a database at V0007 can be carried onto the EF Core history. " +
                    "Migrate it with the last release that still had the SQL migrations first (docs/adr/0003-ef-core-migrations.md).");
            }

            var baseline = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).First();
            if (!baseline.EndsWith("_Baseline", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The first migration of {db.GetService<IMigrationsAssembly>().Assembly.GetName().Name} must be the baseline, not {baseline}.");
            }

            var history = db.GetService<IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), cancellationToken);
            await db.Database.ExecuteSqlRawAsync($"DROP TABLE {Table}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Legacy schema history ({Versions}) carried onto the EF Core history as {Baseline}", string.Join(", ", applied), baseline);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> ExistsAsync(AppDbContext db, bool postgres, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(db, postgres
            ? $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{Table}'"
            : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{Table}'", cancellationToken), CultureInfo.InvariantCulture) > 0;

    private static async Task<List<string>> ReadVersionsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"SELECT version FROM {Table} ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private static async Task<object?> ScalarAsync(AppDbContext db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
