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
