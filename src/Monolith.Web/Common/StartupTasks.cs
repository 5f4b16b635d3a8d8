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

    /// <summary>The start-up banner, logged after the host has started so it is the last start-up line: the listening
    /// addresses and, in Development, the seeded accounts (which exist nowhere else).</summary>
    public static void LogReady(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monolith.Startup");
        // The bound addresses (a port of 0 in --urls is the real port here).
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var addresses = string.Join(", ", bound is { Count: > 0 } ? bound : app.Urls);
        if (!app.Environment.IsDevelopment())
        {
            logger.LogInformation("Monolith is ready on {Addresses}", addresses);
            return;
        }

        logger.LogWarning(
            "Monolith is ready on {Addresses}. Sign in as {DemoEmail} / {DemoPassword} (demo user) or {OpsEmail} / {OpsPassword} (ops). " +
            "These development accounts are never created outside Development.",
            addresses, DevelopmentAccounts.DemoEmail, DevelopmentAccounts.DemoPassword, DevelopmentAccounts.OpsEmail, DevelopmentAccounts.OpsPassword);
    }

    /// <summary>The messages of every options-validation failure inside <paramref name="exception"/> (none if it is another fault).</summary>
    public static IReadOnlyList<string> ConfigurationFailures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ConfigurationFailures).ToList(),
        _ => [],
    };
}
