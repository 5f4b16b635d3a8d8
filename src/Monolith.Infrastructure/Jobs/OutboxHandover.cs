using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Jobs;

/// <summary>
/// Hands a delivery that kept failing over to one Hangfire job (docs/outbox.md "Handover to Hangfire"). Exactly once
/// per delivery, whatever is killed when:
/// <list type="number">
/// <item>the relay's conditional update (still <c>Processing</c> and claimed by this worker) sets the row
/// <c>HandedOver</c> and commits: the relay never claims it again;</item>
/// <item>under a Hangfire distributed lock per delivery, the job is created unless the storage already records one for
/// the delivery — <see cref="OutboxHandoverFilter"/> writes that record (hash <c>outbox-handover:{id}</c>) in the same
/// storage transaction that makes the job runnable, so "a job exists" and "the record exists" are one fact;</item>
/// <item>the job id is written to the row (only if none is there yet); the job itself takes a row with no id.</item>
/// </list>
/// A kill after 1 leaves a HandedOver row without a job id: the sweep (<see cref="RecoverAsync"/>) redoes 2–3 after
/// <see cref="RecoveryGrace"/>, and step 2 finds the job if it was created.
/// </summary>
internal sealed partial class OutboxHandover(
    IServiceScopeFactory scopes,
    IBackgroundJobClient client,
    JobStorage storage,
    IOptions<OutboxOptions> outbox,
    IOptions<JobsOptions> jobs,
    TimeProvider clock,
    ILogger<OutboxHandover> logger) : IOutboxHandover
{
    /// <summary>A HandedOver row without a job id is finished by the sweep once it is this old (its handover is not in flight).</summary>
    public static readonly TimeSpan RecoveryGrace = TimeSpan.FromSeconds(30);

    private const int SweepBatch = 200;

    public bool Active => outbox.Value.Handover.Enabled && jobs.Value.Enabled;

    public static string HashKey(Guid deliveryId) => $"outbox-handover:{deliveryId:N}";

    /// <summary>The job's title on the dashboard: handler and message (<c>billing.email.receipt · message 3f…</c>).</summary>
    public static string DisplayName(string handler, Guid messageId) => $"{handler} · message {messageId}";

    public async Task<string> HandOverAsync(OutboxDelivery delivery, CancellationToken ct)
    {
        var jobId = await Task.Run(() => CreateOnce(delivery.Id, delivery.Handler, delivery.MessageId), ct);
        await RecordAsync(delivery.Id, previous: null, jobId, ct);
        return jobId;
    }

    public async Task<int> RecoverAsync(bool atStart, CancellationToken ct)
    {
        if (!Active)
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow() - RecoveryGrace;
        List<(Guid Id, string Handler, Guid MessageId, string? JobId)> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var unrecorded = db.OutboxDeliveries.AsNoTracking()
                .Where(d => d.State == OutboxDeliveryState.HandedOver && d.HangfireJobId == null && d.NextAttemptAt < cutoff);
            // At start, also every handed-over row with a job: Hangfire.InMemory loses its jobs with the process.
            var query = atStart
                ? db.OutboxDeliveries.AsNoTracking().Where(d => d.State == OutboxDeliveryState.HandedOver && (d.HangfireJobId != null || d.NextAttemptAt < cutoff))
                : unrecorded;
            rows = (await query.OrderBy(d => d.NextAttemptAt).Take(atStart ? 10 * SweepBatch : SweepBatch)
                    .Select(d => new { d.Id, d.Handler, d.MessageId, d.HangfireJobId }).ToListAsync(ct))
                .Select(d => (d.Id, d.Handler, d.MessageId, d.HangfireJobId)).ToList();
        }

        var recovered = 0;
        foreach (var row in rows)
        {
            if (row.JobId is not null && await Task.Run(() => JobExists(row.JobId), ct))
            {
                continue;
            }

            var jobId = await Task.Run(() => CreateOnce(row.Id, row.Handler, row.MessageId), ct);
            if (await RecordAsync(row.Id, row.JobId, jobId, ct))
            {
                recovered++;
                LogRecovered(logger, row.Id, row.JobId ?? "none", jobId);
            }
        }

        return recovered;
    }

    private string CreateOnce(Guid deliveryId, string handler, Guid messageId)
    {
        using var connection = storage.GetConnection();
        using (connection.AcquireDistributedLock(HashKey(deliveryId), TimeSpan.FromSeconds(30)))
        {
            var recorded = connection.GetAllEntriesFromHash(HashKey(deliveryId));
            if (recorded is not null && recorded.TryGetValue("job", out var existing) && connection.GetJobData(existing) is not null)
            {
                return existing;
            }

            var name = DisplayName(handler, messageId);
            return client.Create(
                Job.FromExpression<OutboxHandoverJob>(j => j.RunAsync(name, deliveryId, null!, CancellationToken.None)),
                new EnqueuedState());
        }
    }

    private bool JobExists(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetJobData(jobId) is not null;
    }

    private async Task<bool> RecordAsync(Guid deliveryId, string? previous, string jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.OutboxDeliveries
            .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.HandedOver && d.HangfireJobId == previous)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.HangfireJobId, jobId), ct) == 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery {DeliveryId}: handover finished by the sweep (job {PreviousJobId} → {JobId}).")]
    private static partial void LogRecovered(ILogger logger, Guid deliveryId, string previousJobId, string jobId);
}

/// <summary>The Hangfire job a handed-over delivery runs as (one per delivery); titled by <see cref="OutboxHandover.DisplayName"/>.</summary>
internal sealed class OutboxHandoverJob(OutboxEngine engine)
{
    /// <summary>
    /// Runs the delivery's handler (<see cref="OutboxEngine.RunHandedOverAsync"/>); its result is the job's result, a
    /// failure is the job's exception. Retries come from <see cref="OutboxHandoverFilter"/> (<c>Outbox:Handover:*</c>),
    /// not from Hangfire's global retry filter.
    /// </summary>
    [JobDisplayName("{0}")]
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public Task<string> RunAsync(string name, Guid deliveryId, PerformContext context, CancellationToken cancellationToken) =>
        engine.RunHandedOverAsync(deliveryId, context.BackgroundJob.Id, cancellationToken);
}

/// <summary>
/// Hangfire's side of the handover, for <see cref="OutboxHandoverJob"/> only: records the job per delivery when it is
/// created (in the creating storage transaction), schedules its retries (<c>Outbox:Handover:Attempts</c> /
/// <c>RetryDelay</c>; after the last one the job stays Failed), and marks the delivery <c>Abandoned</c> when the job is
/// deleted on the dashboard (requeueing it from there takes the delivery back, see the job).
/// </summary>
internal sealed class OutboxHandoverFilter(IServiceScopeFactory scopes, IOptions<OutboxOptions> options, TimeProvider clock)
    : IElectStateFilter, IApplyStateFilter
{
    public const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (!IsHandover(context.BackgroundJob.Job, out _) || context.CandidateState is not FailedState failed)
        {
            return;
        }

        var settings = options.Value.Handover;
        var retry = context.GetJobParameter<int>(RetryCountParameter, allowStale: true) + 1;
        if (retry > settings.Attempts)
        {
            return; // stays Failed on the dashboard, never dropped
        }

        context.SetJobParameter(RetryCountParameter, retry);
        var delay = settings.RetryDelay ?? HangfireBackoff(retry);
        var reason = failed.Exception.Message.Length > 200 ? failed.Exception.Message[..200] : failed.Exception.Message;
        context.CandidateState = new ScheduledState(delay) { Reason = $"Retry attempt {retry} of {settings.Attempts}: {reason}" };
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (!IsHandover(context.BackgroundJob.Job, out var deliveryId))
        {
            return;
        }

        if (context.OldStateName is null)
        {
            var key = OutboxHandover.HashKey(deliveryId);
            transaction.SetRangeInHash(key, [new KeyValuePair<string, string>("job", context.BackgroundJob.Id)]);
            if (transaction is JobStorageTransaction expiring)
            {
                expiring.ExpireHash(key, TimeSpan.FromDays(7));
            }
        }
        else if (context.NewState is DeletedState)
        {
            var jobId = context.BackgroundJob.Id;
            var now = clock.GetUtcNow();
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxDeliveries
                .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.HandedOver && (d.HangfireJobId == jobId || d.HangfireJobId == null))
                .ExecuteUpdate(s => s
                    .SetProperty(d => d.State, OutboxDeliveryState.Abandoned)
                    .SetProperty(d => d.HangfireJobId, jobId)
                    .SetProperty(d => d.CompletedAt, now));
        }
        else if (context.NewState is EnqueuedState && context.OldStateName == DeletedState.StateName)
        {
            // Requeued from the Deleted page: the delivery is the job's again (before it runs, so it takes the row).
            var jobId = context.BackgroundJob.Id;
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxDeliveries
                .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.Abandoned && d.HangfireJobId == jobId)
                .ExecuteUpdate(s => s
                    .SetProperty(d => d.State, OutboxDeliveryState.HandedOver)
                    .SetProperty(d => d.CompletedAt, (DateTimeOffset?)null));
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    internal static bool IsHandover(Job? job, out Guid deliveryId)
    {
        deliveryId = Guid.Empty;
        if (job?.Type != typeof(OutboxHandoverJob) || job.Args.Count < 2 || job.Args[1] is not Guid id)
        {
            return false;
        }

        deliveryId = id;
        return true;
    }

    /// <summary>Hangfire's own retry back-off (AutomaticRetryAttribute): attempt⁴ + 15 s + up to 30 s · attempt of jitter.</summary>
    private static TimeSpan HangfireBackoff(int retry) =>
        TimeSpan.FromSeconds(Math.Round(Math.Pow(retry - 1, 4) + 15 + (Random.Shared.Next(30) * retry)));
}
