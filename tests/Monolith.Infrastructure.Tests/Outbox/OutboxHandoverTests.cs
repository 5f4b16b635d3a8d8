using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Jobs;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Tests.Jobs;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>
/// Deliveries that keep failing go to Hangfire (docs/outbox.md "Handover to Hangfire"), on a real PostgreSQL with
/// Hangfire.PostgreSql: one job per failing delivery, named by handler and message, retried by Hangfire until the fault
/// clears, every message's side effect exactly once; deleting / requeueing the job on the dashboard moves the row.
/// </summary>
public sealed class OutboxHandoverTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FaultBurst_ThirtyPercentFailing_EachFailureHandedOverOnce_AndEveryMessageDeliveredExactlyOnce()
    {
        var log = new ProbeLog { FaultActive = true };
        await using var host = NewHost(log);
        await RecurringJobsTests<PostgresTestDatabase>.StartAsync(host, server: true);

        var ids = await host.AddProbesAsync(100);
        foreach (var id in ids.Take(30))
        {
            log.Faulty[id] = true;
        }

        // The relay: first attempt plus its quick retries (MaxAttempts = 2), then the handover.
        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await host.DeliveriesAsync(ids)).All(d => d.State is OutboxDeliveryState.Succeeded or OutboxDeliveryState.HandedOver);
        }, Deadline, "the relay to deliver or hand over everything");

        var handedOver = (await host.DeliveriesAsync(ids)).Where(d => d.State == OutboxDeliveryState.HandedOver).ToList();
        Assert.Equal(30, handedOver.Count);
        Assert.All(handedOver, d => Assert.Equal(FlakyProbeHandler.HandlerName, d.Handler));
        Assert.Equal(log.Faulty.Keys.Order(), handedOver.Select(d => d.MessageId).Order());

        // While the fault lasts every failure is on the dashboard: each job has failed at least once with the handler's error.
        var monitoring = Storage(host).GetMonitoringApi();
        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            var rows = await host.DeliveriesAsync(handedOver.Select(d => d.MessageId).ToList());
            return rows.Where(d => d.Handler == FlakyProbeHandler.HandlerName)
                .All(d => d.HangfireJobId is { } job && monitoring.JobDetails(job).History.Any(h => h.Reason?.Contains("test.fault", StringComparison.Ordinal) == true));
        }, Deadline, "every handed-over delivery's job to show its failure");

        log.FaultActive = false;
        await OutboxTestHost.WaitUntilAsync(async () => (await host.DeliveriesAsync(ids)).All(d => d.State == OutboxDeliveryState.Succeeded),
            Deadline, "every delivery to succeed once the fault cleared");

        // Exactly once: one run per (message, handler), one side-effect row and one marker each, counted in PostgreSQL.
        Assert.Equal(200, log.Runs.Count);
        Assert.All(log.Runs.Values, runs => Assert.Equal(1, runs));
        var keys = ids.Select(id => id.ToString()).ToList();
        Assert.Equal(100, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == FlakyProbeHandler.Scope && keys.Contains(r.Key))));
        Assert.Equal(100, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == RecordingProbeHandler.Scope && keys.Contains(r.Key))));
        Assert.Equal(200, await host.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => ids.Contains(p.MessageId))));

        // One job per handed-over delivery, each pointing back at its row, named by handler and message, succeeded.
        var rowsAfter = (await host.DeliveriesAsync(ids)).Where(d => d.HangfireJobId is not null).ToList();
        Assert.Equal(handedOver.Select(d => d.Id).Order(), rowsAfter.Select(d => d.Id).Order());
        Assert.Equal(30, rowsAfter.Select(d => d.HangfireJobId).Distinct().Count());
        // (The class's tests share one database and so one Hangfire schema: count the jobs of this test's deliveries.)
        var deliveryIds = rowsAfter.Select(d => d.Id).ToHashSet();
        var handoverJobs = AllJobs(monitoring)
            .Where(j => j.Job?.Type == typeof(OutboxHandoverJob) && j.Job.Args[1] is Guid id && deliveryIds.Contains(id)).ToList();
        Assert.Equal(rowsAfter.Select(d => d.HangfireJobId!).Order(StringComparer.Ordinal), handoverJobs.Select(j => j.Id).Order(StringComparer.Ordinal));
        foreach (var row in rowsAfter)
        {
            var details = monitoring.JobDetails(row.HangfireJobId!);
            Assert.Equal(OutboxHandover.DisplayName(row.Handler, row.MessageId), details.Job.Args[0]);
            Assert.Equal(row.Id, details.Job.Args[1]);
            Assert.Equal("Succeeded", details.History[0].StateName);
            Assert.True(row.Attempts > 2, $"attempts {row.Attempts}: the relay's two, then the job's");
        }

        await RecurringJobsTests<PostgresTestDatabase>.StopAsync(host);
    }

    [Fact]
    public async Task DashboardDelete_MarksTheDeliveryAbandoned_AndRequeue_DeliversIt()
    {
        var log = new ProbeLog { FaultActive = true };
        await using var host = NewHost(log);
        await RecurringJobsTests<PostgresTestDatabase>.StartAsync(host, server: true);
        var ids = await host.AddProbesAsync(1);
        log.Faulty[ids[0]] = true;
        var jobId = await HandedOverJobAsync(host, ids);

        // What the dashboard's Delete and Requeue buttons do: a state change of the job.
        var client = host.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.True(client.Delete(jobId));
        await OutboxTestHost.WaitUntilAsync(async () => (await FlakyDeliveryAsync(host, ids)).State == OutboxDeliveryState.Abandoned,
            Deadline, "the deleted job's delivery to be abandoned");
        var abandoned = await FlakyDeliveryAsync(host, ids);
        Assert.Equal(jobId, abandoned.HangfireJobId);
        Assert.NotNull(abandoned.CompletedAt);

        log.FaultActive = false;
        Assert.True(client.Requeue(jobId));
        await OutboxTestHost.WaitUntilAsync(async () => (await FlakyDeliveryAsync(host, ids)).State == OutboxDeliveryState.Succeeded,
            Deadline, "the requeued job to deliver it");
        Assert.Equal(1, log.Runs[(ids[0], FlakyProbeHandler.HandlerName)]);
        Assert.Equal(jobId, (await FlakyDeliveryAsync(host, ids)).HangfireJobId);
        await RecurringJobsTests<PostgresTestDatabase>.StopAsync(host);
    }

    [Fact]
    public async Task Sweep_HandedOverRowWithoutAJob_GetsExactlyOneJob_EvenWhenSweptTwice()
    {
        var log = new ProbeLog { FaultActive = true };
        await using var host = NewHost(log);
        var ids = await host.AddProbesAsync(1);
        log.Faulty[ids[0]] = true;
        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await FlakyDeliveryAsync(host, ids)).State == OutboxDeliveryState.HandedOver;
        }, Deadline, "the delivery to be handed over");
        var first = (await FlakyDeliveryAsync(host, ids)).HangfireJobId!;

        // A kill between "row handed over" and "job id recorded": the row has no job id, the job exists.
        await host.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.MessageId == ids[0] && d.Handler == FlakyProbeHandler.HandlerName)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.HangfireJobId, (string?)null)
                .SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow - OutboxHandover.RecoveryGrace - TimeSpan.FromSeconds(1))));
        var handover = host.Services.GetRequiredService<OutboxHandover>();
        Assert.Equal(1, await handover.RecoverAsync(atStart: false, CancellationToken.None));
        Assert.Equal(0, await handover.RecoverAsync(atStart: true, CancellationToken.None));

        var delivery = await FlakyDeliveryAsync(host, ids);
        Assert.Equal(first, delivery.HangfireJobId);
        Assert.Single(AllJobs(Storage(host).GetMonitoringApi()), j => j.Job?.Type == typeof(OutboxHandoverJob) && Equals(j.Job.Args[1], delivery.Id));
    }

    private ApplicationHost NewHost(ProbeLog log) => OutboxTestHost.Create(database, log, new()
    {
        ["Outbox:MaxAttempts"] = "2",
        ["Outbox:Handover:Enabled"] = "true",
        ["Outbox:Handover:Attempts"] = "50",
        ["Outbox:Handover:RetryDelay"] = "00:00:00.100",
        ["Jobs:Enabled"] = "true",
        ["Jobs:WorkerCount"] = "4",
        ["Jobs:QueuePollInterval"] = "00:00:00.100",
        ["Jobs:SchedulePollingInterval"] = "00:00:01",
    });

    private static JobStorage Storage(ApplicationHost host) => host.Services.GetRequiredService<JobStorage>();

    private static async Task<OutboxDelivery> FlakyDeliveryAsync(ApplicationHost host, List<Guid> ids) =>
        (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName);

    private static async Task<string> HandedOverJobAsync(ApplicationHost host, List<Guid> ids)
    {
        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await FlakyDeliveryAsync(host, ids)) is { State: OutboxDeliveryState.HandedOver, HangfireJobId: not null };
        }, Deadline, "the delivery to be handed over with its job");
        return (await FlakyDeliveryAsync(host, ids)).HangfireJobId!;
    }

    /// <summary>Every job in the storage, whatever its state (enqueued, scheduled, processing, succeeded, failed, deleted).</summary>
    private static List<(string Id, Hangfire.Common.Job? Job)> AllJobs(Hangfire.Storage.IMonitoringApi monitoring)
    {
        const int all = 10_000;
        return
        [
            .. monitoring.EnqueuedJobs("default", 0, all).Select(j => (j.Key, j.Value.Job)),
            .. monitoring.ScheduledJobs(0, all).Select(j => (j.Key, j.Value.Job)),
            .. monitoring.ProcessingJobs(0, all).Select(j => (j.Key, j.Value.Job)),
            .. monitoring.SucceededJobs(0, all).Select(j => (j.Key, j.Value.Job)),
            .. monitoring.FailedJobs(0, all).Select(j => (j.Key, j.Value.Job)),
            .. monitoring.DeletedJobs(0, all).Select(j => (j.Key, j.Value.Job)),
        ];
    }
}
