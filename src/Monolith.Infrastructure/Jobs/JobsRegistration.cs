using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Jobs;
using Monolith.Application.Common.Retention.PruneRetention;
using Quartz;

namespace Monolith.Infrastructure.Jobs;

public static class JobsRegistration
{
    /// <summary>Quartz's tables live in their own PostgreSQL schema (created by the PostgreSQL baseline migration), so they never mix with the EF model's.</summary>
    public const string PostgresTablePrefix = "quartz.qrtz_";

    public const string SchedulerName = "Monolith";

    /// <summary>
    /// Quartz with the recurring jobs (docs/jobs.md). PostgreSQL: a clustered ADO job store, so each firing runs on one
    /// instance. SQLite: the in-memory store (one instance only). The scheduler is started by a hosted service unless
    /// <c>Jobs:Enabled</c> is false; <c>/health/ready</c> includes it.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        services.AddSingleton<JobRunLog>();
        services.AddScoped<IWebhookInboxReplay, WebhookInboxReplay>();
        services.AddScoped<IOutboxRetention, OutboxRetention>();
        services.AddSingleton<IRecurringJobs, QuartzRecurringJobs>();

        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var postgres = string.Equals(configuration["Database:Provider"]?.Trim(), "Postgres", StringComparison.OrdinalIgnoreCase);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                s.GenerateInstanceId = postgres;
            });
            if (postgres)
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(configuration.GetConnectionString("Postgres") ?? string.Empty);
                    store.UseSystemTextJsonSerializer();
                    store.ConfigureStore(o => o.TablePrefix = PostgresTablePrefix);
                    store.UseClustering(c => c.CheckinInterval = jobs.ClusterCheckinInterval);
                });
            }
            else
            {
                q.UseInMemoryStore();
            }

            foreach (var job in RecurringJobDefinition.All)
            {
                var settings = job.Options(jobs);
                if (!settings.Enabled || !CronExpression.TryParse(settings.Cron, out _))
                {
                    continue; // disabled, or invalid (the options validator stops the start-up with a clear message)
                }

                var key = new JobKey(job.Name);
                q.AddJob(job.JobType, j => j.WithIdentity(key).WithDescription(job.Description).StoreDurably().DisallowConcurrentExecution());
                q.AddTrigger(t => t.ForJob(key).WithIdentity(job.Name).WithCronSchedule(settings.Cron));
            }
        });

        if (jobs.Enabled)
        {
            services.AddHostedService<SchedulerHostedService>();
        }

        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
        return services;
    }
}

/// <summary>
/// Starts the scheduler with the host (not after "application started", so /health/ready is ready as soon as requests
/// arrive; start-up tasks such as migrations run before hosted services) and shuts it down, waiting for running jobs.
/// Quartz's own hosted service needs IHostApplicationLifetime, which hosts built without the generic host lack.
/// </summary>
internal sealed class SchedulerHostedService(ISchedulerFactory schedulers) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await schedulers.GetScheduler(cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    /// <summary>Shuts down the scheduler this service started; a second stop (hosts may be stopped twice) is a no-op.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = Interlocked.Exchange(ref _scheduler, null);
        if (scheduler is not null && await scheduler.GetStatus(cancellationToken) != SchedulerStatus.Shutdown)
        {
            try
            {
                await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // The host's shutdown timeout passed while a job was still running and the host disposed its services;
                // Quartz's clustered store then fails to signal through them. Nothing is left to stop.
            }
        }
    }
}

/// <summary>Ready when the scheduler is running (started, not in standby); jobs disabled by configuration count as ready.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, IOptions<JobsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Recurring jobs are disabled (Jobs:Enabled=false).");
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("Scheduler running.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"Scheduler is {status}.");
    }
}

/// <summary><see cref="IRecurringJobs"/> over Quartz: definitions and next fire times from the scheduler, last runs from <see cref="JobRunLog"/>.</summary>
internal sealed class QuartzRecurringJobs(ISchedulerFactory schedulers, JobRunLog log, IOptions<JobsOptions> options) : IRecurringJobs
{
    public async Task<IReadOnlyList<RecurringJobInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var list = new List<RecurringJobInfo>();
        foreach (var job in RecurringJobDefinition.All)
        {
            var settings = job.Options(options.Value);
            DateTimeOffset? next = null;
            if (settings.Enabled && await scheduler.Exists(new JobKey(job.Name), cancellationToken))
            {
                var triggers = await scheduler.GetTriggersOfJob(new JobKey(job.Name), cancellationToken);
                next = triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min();
            }

            var last = log.Last(job.Name);
            list.Add(new RecurringJobInfo(job.Name, job.Description, settings.Cron, settings.Enabled && options.Value.Enabled,
                last?.StartedAt, last?.Outcome, last?.Error, next));
        }

        return list;
    }

    public async Task<Domain.Common.Result> TriggerAsync(string name, CancellationToken cancellationToken)
    {
        var job = RecurringJobDefinition.All.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.Ordinal));
        if (job is null)
        {
            return RecurringJobErrors.NotFound;
        }

        if (!options.Value.Enabled || !job.Options(options.Value).Enabled)
        {
            return RecurringJobErrors.Disabled;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(new JobKey(job.Name), null!, cancellationToken);
        return Domain.Common.Result.Success();
    }
}
