using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Jobs;

/// <summary>
/// Section <c>Jobs</c> (env <c>Jobs__…</c>), validated at start-up. Crons are Hangfire's (Cronos): five fields, or six
/// with seconds first (the Quartz-style defaults such as <c>0 */5 * * * ?</c> read the same), UTC.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// <c>false</c>: this process runs no Hangfire server and leaves the recurring schedules as they are in storage
    /// (the dashboard still works; what it enqueues runs on an instance with jobs enabled).
    /// </summary>
    public bool Enabled { get; set; } = true;

    public ReconciliationJobOptions Reconciliation { get; set; } = new();
    public InboxRetryJobOptions InboxRetry { get; set; } = new();
    public CheckoutExpiryJobOptions CheckoutExpiry { get; set; } = new();
    public RetentionJobOptions Retention { get; set; } = new();
    public DunningJobOptions Dunning { get; set; } = new();

    /// <summary>Hangfire workers in this process (recurring runs and handed-over deliveries).</summary>
    public int WorkerCount { get; set; } = 5;

    /// <summary>
    /// PostgreSQL: how often an idle worker looks for a job enqueued by another instance (jobs enqueued by this one
    /// wake its workers at once). Hangfire.PostgreSql's default is 15 s.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the recurring and delayed (retry) schedulers look for due work.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);
}

public abstract class RecurringJobOptions
{
    public bool Enabled { get; set; } = true;
    public abstract string Cron { get; set; }

    /// <summary>Due ids handled per run (the rest wait for the next run).</summary>
    public int BatchSize { get; set; } = 200;
}

public sealed class ReconciliationJobOptions : RecurringJobOptions
{
    public override string Cron { get; set; } = "0 7/15 * * * ?";

    /// <summary>An open checkout is re-fetched only once it is older than this (younger ones are still being paid).</summary>
    public TimeSpan MinAge { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class InboxRetryJobOptions : RecurringJobOptions
{
    public override string Cron { get; set; } = "0 */5 * * * ?";

    /// <summary>Parked / failed inbox events received longer ago than this are left to ops (dashboard re-apply).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);
}

public sealed class CheckoutExpiryJobOptions : RecurringJobOptions
{
    public override string Cron { get; set; } = "0 3/10 * * * ?";

    /// <summary>How long past its expiry an open session waits for the provider's own expiry webhook.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class RetentionJobOptions : RecurringJobOptions
{
    public override string Cron { get; set; } = "0 30 3 * * ?";
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Succeeded deliveries, their processed markers and fully delivered messages older than this are deleted.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(14);
}

public sealed class DunningJobOptions : RecurringJobOptions
{
    public override string Cron { get; set; } = "0 15 * * * ?";

    /// <summary>At most one reminder per past-due subscription per interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(3);
}

internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var failures = new List<string>();
        void Job(string key, RecurringJobOptions job)
        {
            if (!HangfireCron.IsValid(job.Cron))
            {
                failures.Add($"Jobs:{key}:Cron (env Jobs__{key}__Cron) '{job.Cron}' is not a valid cron expression (5 fields, or 6 with seconds first, e.g. '0 */5 * * * ?').");
            }

            if (job.BatchSize is < 1 or > 10_000)
            {
                failures.Add($"Jobs:{key}:BatchSize (env Jobs__{key}__BatchSize) must be between 1 and 10000.");
            }
        }

        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Jobs:{key} (env Jobs__{key.Replace(":", "__", StringComparison.Ordinal)}) must be a positive duration.");
            }
        }

        Job("Reconciliation", options.Reconciliation);
        Job("InboxRetry", options.InboxRetry);
        Job("CheckoutExpiry", options.CheckoutExpiry);
        Job("Retention", options.Retention);
        Job("Dunning", options.Dunning);
        if (options.Reconciliation.MinAge < TimeSpan.Zero)
        {
            failures.Add("Jobs:Reconciliation:MinAge (env Jobs__Reconciliation__MinAge) must not be negative.");
        }

        Positive("InboxRetry:MaxAge", options.InboxRetry.MaxAge);
        if (options.CheckoutExpiry.Grace < TimeSpan.Zero)
        {
            failures.Add("Jobs:CheckoutExpiry:Grace (env Jobs__CheckoutExpiry__Grace) must not be negative.");
        }

        Positive("Retention:IdempotencyRetention", options.Retention.IdempotencyRetention);
        Positive("Retention:OutboxRetention", options.Retention.OutboxRetention);
        Positive("Dunning:Interval", options.Dunning.Interval);
        if (options.WorkerCount is < 1 or > 100)
        {
            failures.Add("Jobs:WorkerCount (env Jobs__WorkerCount) must be between 1 and 100.");
        }

        if (options.QueuePollInterval < TimeSpan.FromMilliseconds(50))
        {
            failures.Add("Jobs:QueuePollInterval (env Jobs__QueuePollInterval) must be at least 50 ms.");
        }

        if (options.SchedulePollingInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Jobs:SchedulePollingInterval (env Jobs__SchedulePollingInterval) must be at least 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks a cron expression exactly as Hangfire will parse it (its parser is internal to Hangfire.Core).</summary>
internal static class HangfireCron
{
    private static readonly Lazy<RecurringJobManager> Parser = new(() => new RecurringJobManager(new InMemoryStorage()));

    public static bool IsValid(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return false;
        }

        try
        {
            Parser.Value.AddOrUpdate("cron-check", Job.FromExpression(() => Nothing()), cron, new Hangfire.RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void Nothing()
    {
    }
}
