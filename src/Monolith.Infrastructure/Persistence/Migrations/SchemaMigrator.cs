using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Monolith.Infrastructure.Persistence.Migrations;

/// <summary>One checked-in script, e.g. <c>Postgres/V0002__billing_core.sql</c>.</summary>
public sealed record MigrationScript(string Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);

/// <summary>
/// Applies the hand-written SQL scripts for the active provider (EF's Design package is unavailable here, see
/// docs/adr/0001). Scripts run in version order, each recorded in <c>schema_migrations</c> with its checksum; an
/// applied script that was edited afterwards stops the run. On PostgreSQL an advisory lock lets many instances start
/// at once; on SQLite the write transaction serialises them.
/// </summary>
public sealed class SchemaMigrator(AppDbContext db, ILogger<SchemaMigrator> logger)
{
    public const string HistoryTable = "schema_migrations";
    private const long AdvisoryLockKey = 0x4D6F6E6F6C697468; // "Monolith"

    public static IReadOnlyList<MigrationScript> ScriptsFor(DatabaseProvider provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{typeof(SchemaMigrator).Namespace}.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^".sql".Length];
                var separator = file.IndexOf("__", StringComparison.Ordinal);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new MigrationScript(file[..separator], file[(separator + 2)..], reader.ReadToEnd());
            })
            .OrderBy(s => s.Version, StringComparer.Ordinal)
            .ToList();
    }

    public DatabaseProvider Provider => db.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public async Task<IReadOnlyList<MigrationScript>> PendingAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var applied = await ReadHistoryAsync(null, cancellationToken);
            return ScriptsFor(Provider).Where(s => !applied.ContainsKey(s.Version)).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = ScriptsFor(Provider);
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No migration scripts are embedded for {Provider}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dbTransaction = transaction.GetDbTransaction();
        if (Provider == DatabaseProvider.Postgres)
        {
            await ExecuteAsync(dbTransaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        }

        await ExecuteAsync(dbTransaction,
            $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version varchar(50) NOT NULL PRIMARY KEY, name varchar(200) NOT NULL, " +
            "checksum varchar(64) NOT NULL, applied_at varchar(40) NOT NULL)", cancellationToken);

        var history = await ReadHistoryAsync(dbTransaction, cancellationToken);
        var applied = new List<string>();
        foreach (var script in scripts)
        {
            if (history.TryGetValue(script.Version, out var checksum))
            {
                if (!string.Equals(checksum, script.Checksum, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"Migration {script.Version}__{script.Name} was changed after it was applied. Add a new script instead of editing it.");
                }

                continue;
            }

            logger.LogInformation("Applying migration {Version} {Name}", script.Version, script.Name);
            await ExecuteAsync(dbTransaction, script.Sql, cancellationToken);
            await ExecuteAsync(dbTransaction,
                $"INSERT INTO {HistoryTable} (version, name, checksum, applied_at) VALUES (@v, @n, @c, @a)",
                cancellationToken,
                ("v", script.Version), ("n", script.Name), ("c", script.Checksum), ("a", DateTimeOffset.UtcNow.ToString("O")));
            applied.Add($"{script.Version}__{script.Name}");
        }

        await transaction.CommitAsync(cancellationToken);
        return new MigrationReport(applied, history.Keys.Order(StringComparer.Ordinal).ToList());
    }

    private async Task<Dictionary<string, string>> ReadHistoryAsync(DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = Provider == DatabaseProvider.Postgres
            ? $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{HistoryTable}'"
            : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{HistoryTable}'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return result;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT version, checksum FROM {HistoryTable}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    private static async Task ExecuteAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
