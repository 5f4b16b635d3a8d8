using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Retention.PruneRetention;
using Monolith.Infrastructure.Persistence;
using Npgsql;

namespace Monolith.Infrastructure.Jobs;

public static class JobsRegistration
{
    /// <summary>Hangfire.PostgreSql's tables live in this schema of the app's database (created by Hangfire at start).</summary>
    public const string PostgresSchema = "hangfire";

    /// <summary>
    /// Hangfire with the recurring jobs (docs/jobs.md, ADR 0004). PostgreSQL: Hangfire.PostgreSql in schema
    /// <c>hangfire</c>, shared by every instance (each firing and each job runs once). SQLite: Hangfire.InMemory (one
    /// instance; schedules are recreated from configuration at start). Every Hangfire service is this host's own
    /// (storage, filters, activator, clients): nothing goes through Hangfire's static <c>JobStorage.Current</c>, so
    /// several hosts in one process (tests) never share a storage. A Hangfire server runs unless <c>Jobs:Enabled</c> is
    /// false; <c>/health/ready</c> checks the storage.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        services.AddScoped<IWebhookInboxReplay, WebhookInboxReplay>();
        services.AddScoped<IOutboxRetention, OutboxRetention>();

        services.AddSingleton<IGlobalConfiguration>(_ => HangfireDefaults.Apply());
        services.AddSingleton<HangfireStorage>();
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<HangfireStorage>().Storage);
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(sp => new JobFilterProviderCollection(
            JobFilterProviders.Providers, new HostJobFilterProvider(sp.GetServices<HangfireFilter>())));
        services.AddSingleton<ITimeZoneResolver, DefaultTimeZoneResolver>();
        services.AddSingleton<OutboxHandover>();
        services.AddSingleton<Outbox.IOutboxHandover>(sp => sp.GetRequiredService<OutboxHandover>());
        services.AddSingleton(sp => new HangfireFilter(ActivatorUtilities.CreateInstance<OutboxHandoverFilter>(sp)));
        services.AddSingleton(new HangfireFilter(new HangfireJobTelemetryFilter()));
        services.AddSingleton(_ => DashboardRoutes.Routes);
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(
            sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(
            sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>(), sp.GetRequiredService<ITimeZoneResolver>()));

        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (jobs.Enabled)
        {
            services.AddHostedService<RecurringJobsRegistrar>();
            services.AddHangfireServer((sp, server) =>
            {
                var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = options.SchedulePollingInterval;
            });
        }

        services.AddHealthChecks().AddCheck<HangfireStorageHealthCheck>("jobs", tags: ["ready"]);
        return services;
    }
}

/// <summary>A job filter (server, client or state filter) of this host, added after Hangfire's global and attribute filters.</summary>
internal sealed record HangfireFilter(object Instance, int Order = 0);

internal sealed class HostJobFilterProvider(IEnumerable<HangfireFilter> filters) : IJobFilterProvider
{
    private readonly IReadOnlyList<JobFilter> _filters = [.. filters.Select(f => new JobFilter(f.Instance, JobFilterScope.Global, f.Order))];

    public IEnumerable<JobFilter> GetFilters(Job job) => _filters;
}

/// <summary>Hangfire's process-wide serializer settings (the same for every host, applied once).</summary>
internal static class HangfireDefaults
{
    private static readonly Lazy<IGlobalConfiguration> Configured = new(() => GlobalConfiguration.Configuration
        .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
        .UseSimpleAssemblyNameTypeSerializer()
        .UseRecommendedSerializerSettings());

    public static IGlobalConfiguration Apply() => Configured.Value;
}

/// <summary>This host's Hangfire storage, and the data source it owns (disposed with the host).</summary>
internal sealed class HangfireStorage : IDisposable
{
    private readonly NpgsqlDataSource? _dataSource;

    public HangfireStorage(IOptions<DatabaseOptions> database, IOptions<JobsOptions> jobs)
    {
        HangfireDefaults.Apply();
        if (database.Value.ProviderKind == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(database.Value.PostgresConnectionString) { NoResetOnClose = true };
            _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            Storage = CreatePostgres(_dataSource, jobs.Value);
        }
        else
        {
            Storage = new InMemoryStorage(new InMemoryStorageOptions());
        }
    }

    public JobStorage Storage { get; }

    public void Dispose()
    {
        (Storage as IDisposable)?.Dispose();
        _dataSource?.Dispose();
    }

    private static PostgreSqlStorage CreatePostgres(NpgsqlDataSource dataSource, JobsOptions jobs)
    {
        // Its own data source: No Reset On Close whatever the app's connection string says (Hangfire keeps no session
        // state; each DISCARD ALL was one of its ~55 statements per job). No long polling: its LISTEN would outlive the
        // checkout on a connection that is not reset; workers poll every QueuePollInterval instead.
        return new PostgreSqlStorage(new DataSourceConnectionFactory(dataSource), new PostgreSqlStorageOptions
        {
            SchemaName = JobsRegistration.PostgresSchema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = jobs.QueuePollInterval,
            EnableLongPolling = false,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
            StartupConnectionMaxRetries = 3,
            StartupConnectionMaxDelay = TimeSpan.FromSeconds(5),
        });
    }

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}

/// <summary>
/// Puts the recurring jobs into storage at start: each enabled job with its configured cron (UTC), a disabled one
/// removed, and any recurring job this version no longer knows removed. Idempotent, so every instance may do it.
/// </summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager manager, JobStorage storage, IOptions<JobsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var definition in RecurringJobDefinition.All)
        {
            var settings = definition.Options(options.Value);
            if (settings.Enabled)
            {
                manager.AddOrUpdate(definition.Name, definition.Job(), settings.Cron, new Hangfire.RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            }
            else
            {
                manager.RemoveIfExists(definition.Name);
            }
        }

        using var connection = storage.GetConnection();
        foreach (var stale in connection.GetRecurringJobs().Select(j => j.Id).Where(id => RecurringJobDefinition.All.All(d => d.Name != id)))
        {
            manager.RemoveIfExists(stale);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Ready when Hangfire's storage answers (PostgreSQL: the <c>hangfire</c> schema is reachable).</summary>
internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var recurring = await Task.Run(() =>
            {
                using var connection = storage.GetConnection();
                return connection.GetAllItemsFromSet("recurring-jobs").Count;
            }, cancellationToken);
            return HealthCheckResult.Healthy($"Hangfire storage reachable ({recurring} recurring jobs).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Hangfire storage unreachable: {ex.GetType().Name}.");
        }
    }
}
