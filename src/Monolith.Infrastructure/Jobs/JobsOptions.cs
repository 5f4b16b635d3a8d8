using Microsoft.Extensions.Options;
using Quartz;

namespace Monolith.Infrastructure.Jobs;

/// <summary>Section <c>Jobs</c> (env <c>Jobs__…</c>), validated at start-up. Crons are Quartz cron (seconds first), UTC.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary><c>false</c>: the scheduler is not started in this process (jobs can still be listed; trigger-now is refused).</summary>
    public bool Enabled { get; set; } = true;

    public ReconciliationJobOptions Reconciliation { get; set; } = new();
    public InboxRetryJobOptions InboxRetry { get; set; } = new();
    public CheckoutExpiryJobOptions CheckoutExpiry { get; set; } = new();
    public RetentionJobOptions Retention { get; set; } = new();
    public DunningJobOptions Dunning { get; set; } = new();

    /// <summary>PostgreSQL only: how often each instance checks in to the cluster (a dead one is taken over after about twice this).</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(15);
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
            if (string.IsNullOrWhiteSpace(job.Cron) || !CronExpression.TryParse(job.Cron, out _))
            {
                failures.Add($"Jobs:{key}:Cron (env Jobs__{key}__Cron) '{job.Cron}' is not a valid Quartz cron expression (seconds first, e.g. '0 */5 * * * ?').");
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
        if (options.ClusterCheckinInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Jobs:ClusterCheckinInterval (env Jobs__ClusterCheckinInterval) must be at least 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
