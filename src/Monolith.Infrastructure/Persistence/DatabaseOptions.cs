using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Section <c>Database</c> plus <c>ConnectionStrings:Sqlite</c> / <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Raw setting, validated into <see cref="ProviderKind"/>; a typo stops start-up with the setting's name.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Apply pending migrations at start-up (default on in Development; production runs <c>migrate</c>).</summary>
    public bool? MigrateOnStartup { get; set; }

    public string? SqliteConnectionString { get; set; }
    public string? PostgresConnectionString { get; set; }

    public DatabaseProvider ProviderKind =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var kind) ? kind : DatabaseProvider.Sqlite;

    public string ConnectionString => ProviderKind == DatabaseProvider.Postgres ? PostgresConnectionString! : SqliteConnectionString!;
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var kind) || int.TryParse(options.Provider, out _))
        {
            return ValidateOptionsResult.Fail(
                $"Database:Provider (env Database__Provider) must be 'Sqlite' or 'Postgres', not '{options.Provider}'.");
        }

        if (kind == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:Postgres (env ConnectionStrings__Postgres) is required when Database:Provider is Postgres.");
        }

        if (kind == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.SqliteConnectionString))
        {
            return ValidateOptionsResult.Fail("ConnectionStrings:Sqlite (env ConnectionStrings__Sqlite) must not be empty.");
        }

        return ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Npgsql settings the app turns on unless the connection string sets them itself (docs/benchmarks.md, "Webhook
/// storm"): <c>No Reset On Close</c> — a pooled connection is not reset with <c>DISCARD ALL</c> (one extra statement and
/// transaction per checkout of a connection; the app keeps no session state: transaction-scoped locks only, LISTEN on
/// its own unpooled connection) — and automatic preparation of the statements it runs again and again.
/// </summary>
internal static class PostgresConnectionDefaults
{
    public static string? Apply(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        Npgsql.NpgsqlConnectionStringBuilder builder;
        HashSet<string> given;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
                .Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        }
        catch (ArgumentException)
        {
            return connectionString; // left as given: opening it reports the problem with the setting's name
        }

        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.Contains("AUTOPREPAREMINUSAGES"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
