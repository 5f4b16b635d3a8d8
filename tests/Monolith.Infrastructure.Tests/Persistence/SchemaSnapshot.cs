using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// A live database's schema as a set of one-line facts ("column users.email character varying(256) null default …",
/// "index … where …", "fk …"), so two databases can be compared as sets whatever their column order (the legacy
/// upgrade test). PostgreSQL: every schema but the system ones (Quartz's tables too); constraint names included.
/// SQLite does not expose constraint names, so there keys and foreign keys are compared by their columns.
/// History tables (<c>__EF…</c>) are left out.
/// </summary>
internal static class SchemaSnapshot
{
    public static async Task<SortedSet<string>> FromDatabaseAsync(AppDbContext context)
    {
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            return context.Database.IsSqlite() ? await ReadSqliteAsync(connection) : await ReadPostgresAsync(connection);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<SortedSet<string>> ReadPostgresAsync(DbConnection connection)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        const string tables = "c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND left(c.relname, 4) <> '__EF'";

        foreach (var row in await QueryAsync(connection, $"SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {tables}"))
        {
            facts.Add($"table {row[0]}");
        }

        foreach (var row in await QueryAsync(connection, $"""
            SELECT n.nspname || '.' || c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE {tables} AND a.attnum > 0 AND NOT a.attisdropped
            """))
        {
            facts.Add($"column {row[0]}.{row[1]} {row[2]} {((bool)row[3] ? "not null" : "null")} default '{row[4]}' identity '{row[5]}'");
        }

        foreach (var row in await QueryAsync(connection, $"""
            SELECT n.nspname || '.' || c.relname, con.conname, con.contype,
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   pc.relname,
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
                   con.confdeltype, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class pc ON pc.oid = con.confrelid
            WHERE {tables} AND con.contype IN ('p', 'f', 'c', 'u')
            """))
        {
            facts.Add((char)row[2] switch
            {
                'p' => $"pk {row[0]} {row[1]}({row[3]})",
                'f' => $"fk {row[0]} {row[1]}({row[3]}) -> {row[4]}({row[5]}) on delete {PostgresOnDelete((char)row[6])}",
                _ => $"constraint {row[0]} {row[1]} {row[7]}",
            });
        }

        foreach (var row in await QueryAsync(connection, $"""
            SELECT n.nspname || '.' || c.relname, i.relname, x.indisunique, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {tables} AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
            """))
        {
            facts.Add($"{((bool)row[2] ? "unique index" : "index")} {row[0]}.{row[1]}: {row[3]}");
        }

        return facts;
    }

    private static async Task<SortedSet<string>> ReadSqliteAsync(DbConnection connection)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var tables = (await QueryAsync(connection,
                $"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND substr(name, 1, 4) <> '__EF'"))
            .Select(r => (string)r[0]).ToList();
        foreach (var table in tables)
        {
            facts.Add($"table {table}");
            var columns = await QueryAsync(connection, $"PRAGMA table_info('{table}')");
            foreach (var c in columns)
            {
                facts.Add($"column {table}.{c[1]} {((string)c[2]).ToLowerInvariant()} {((long)c[3] == 1 ? "not null" : "null")} default '{c[4]}'");
            }

            facts.Add($"pk {table} ({string.Join(", ", columns.Where(c => (long)c[5] > 0).OrderBy(c => (long)c[5]).Select(c => c[1]))})");

            foreach (var fk in (await QueryAsync(connection, $"PRAGMA foreign_key_list('{table}')")).GroupBy(r => (long)r[0]))
            {
                var parts = fk.OrderBy(r => (long)r[1]).ToList();
                facts.Add($"fk {table} ({string.Join(", ", parts.Select(p => p[3]))}) -> {parts[0][2]}({string.Join(", ", parts.Select(p => p[4]))}) " +
                          $"on delete {((string)parts[0][6]).ToLowerInvariant()}");
            }

            foreach (var index in (await QueryAsync(connection, $"PRAGMA index_list('{table}')")).Where(r => (string)r[3] == "c"))
            {
                var indexColumns = (await QueryAsync(connection, $"PRAGMA index_info('{index[1]}')")).OrderBy(r => (long)r[0]).Select(r => r[2]);
                var where = (long)index[4] == 1
                    ? " where " + ((string)(await QueryAsync(connection, $"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{index[1]}'"))[0][0]).Split(" WHERE ")[1]
                    : "";
                facts.Add($"{((long)index[2] == 1 ? "unique index" : "index")} {table}.{index[1]}({string.Join(", ", indexColumns)}){where}");
            }
        }

        return facts;
    }

    private static async Task<List<object[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }

    private static string PostgresOnDelete(char code) => code switch
    {
        'c' => "cascade",
        'n' => "set null",
        'd' => "set default",
        'r' => "restrict",
        _ => "no action",
    };
}
