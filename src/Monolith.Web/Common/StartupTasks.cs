using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Web.Common;

/// <summary>Before the app serves requests: migrate (development, or when Database:MigrateOnStartup is true), mirror the plan catalogue and seed.</summary>
internal static class StartupTasks
{
    public static async Task RunAsync(IServiceProvider services, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        // Every ValidateOnStart option (database, catalogue, …) is checked before anything touches the database.
        services.GetRequiredService<IStartupValidator>().Validate();

        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Monolith.Startup");
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();

        if (options.MigrateOnStartup ?? environment.IsDevelopment())
        {
            var report = await migrator.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ({Provider}) is at the latest schema; applied now: {Applied}",
                options.ProviderKind, report.Applied.Count == 0 ? "none" : string.Join(", ", report.Applied));
        }
        else
        {
            var pending = await migrator.PendingAsync(cancellationToken);
            if (pending.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The database has {pending.Count} pending migration(s) ({string.Join(", ", pending)}). " +
                    "Run 'dotnet run --project src/Monolith.Web -- migrate' (or set Database__MigrateOnStartup=true).");
            }
        }

        await scope.ServiceProvider.GetRequiredService<CatalogMirror>().SyncAsync(cancellationToken);

        await scope.ServiceProvider.GetRequiredService<IdentitySeeder>().SeedAsync(environment.IsDevelopment(), cancellationToken);
    }

    /// <summary>The messages of every options-validation failure inside <paramref name="exception"/> (none if it is another fault).</summary>
    public static IReadOnlyList<string> ConfigurationFailures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ConfigurationFailures).ToList(),
        _ => [],
    };
}
