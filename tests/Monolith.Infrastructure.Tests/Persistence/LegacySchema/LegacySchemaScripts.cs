using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Persistence.LegacySchema;

/// <summary>Builds a database exactly as the legacy SchemaMigrator did: the scripts in order, each recorded in <c>schema_migrations</c>.</summary>
internal static class LegacySchemaScripts
{
    public static IReadOnlyList<(string Version, string Name, string Sql)> For(DatabaseProvider provider)
    {
        var assembly = typeof(LegacySchemaScripts).Assembly;
        var prefix = $"{typeof(LegacySchemaScripts).Namespace}.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                var file = n[prefix.Length..^".sql".Length];
                var separator = file.IndexOf("__", StringComparison.Ordinal);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (file[..separator], file[(separator + 2)..], reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>Applies the first <paramref name="count"/> scripts (all by default) to an empty database.</summary>
    public static async Task ApplyAsync(TestDatabase database, int? count = null)
    {
        await using var context = database.CreateContext();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(50) NOT NULL PRIMARY KEY, name varchar(200) NOT NULL, " +
            "checksum varchar(64) NOT NULL, applied_at varchar(40) NOT NULL)");
        var scripts = For(database.Provider);
        foreach (var (version, name, sql) in scripts.Take(count ?? scripts.Count))
        {
            await ExecuteAsync(connection, sql);
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
            await ExecuteAsync(connection,
                $"INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ('{version}', '{name}', '{checksum}', " +
                $"'{new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture)}')");
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
