using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Accounts.Organizations.RenameOrganization;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>Fan-out, retries with backoff, dead and requeue, leases and the wake-up, on a real database per provider.</summary>
public abstract class OutboxTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    protected TDatabase Database { get; } = database;

    [Fact]
    public async Task Command_RolledBack_LeavesNoOutboxRowAndNoDelivery()
    {
        await using var host = OutboxTestHost.Create(Database, new ProbeLog());
        var user = await host.RegisterAsync();
        var created = await host.SendAsync(new CreateOrganizationCommand("Acme"), user.UserId);
        var version = await host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == created.Value.OrganizationId).Select(o => o.Version).SingleAsync());
        Assert.True((await host.SendAsync(new RenameOrganizationCommand(created.Value.OrganizationId, "First", version), user.UserId)).IsSuccess);
        await host.Engine().DrainAsync(CancellationToken.None);
        var before = await host.QueryDbAsync(db => db.OutboxMessages.CountAsync());
        var renamedBefore = await host.QueryDbAsync(db => db.OutboxMessages.CountAsync(m => m.Type == nameof(OrganizationRenamed)));

        var stale = await host.SendAsync(new RenameOrganizationCommand(created.Value.OrganizationId, "Second", version), user.UserId);

        Assert.Equal("concurrency.conflict", stale.Error!.Code);
        Assert.Equal(before, await host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(renamedBefore, await host.QueryDbAsync(db => db.OutboxMessages.CountAsync(m => m.Type == nameof(OrganizationRenamed))));
        Assert.Equal("First", await host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == created.Value.OrganizationId).Select(o => o.Name).SingleAsync()));
    }

    [Fact]
    public async Task Dispatch_FansOutOneDeliveryPerHandler_AndNoneForUnhandledTypes()
    {
        await using var host = OutboxTestHost.Create(Database, new ProbeLog());
        var handled = await host.AddProbesAsync(3);
        var unhandled = await host.AddProbesAsync(2, handled: false);

        while (await host.Engine().DispatchAsync(CancellationToken.None) > 0)
        {
        }

        // A second dispatch (as a racing dispatcher would) adds nothing: the unique (message, handler) key.
        await host.Engine().DispatchAsync(CancellationToken.None);
        var deliveries = await host.DeliveriesAsync([.. handled, .. unhandled]);
        Assert.Equal(6, deliveries.Count);
        foreach (var id in handled)
        {
            Assert.Equal(OutboxTestHost.ProbeHandlers.Order(), deliveries.Where(d => d.MessageId == id).Select(d => d.Handler).Order());
        }

        Assert.All(deliveries, d => Assert.Equal((OutboxDeliveryState.Pending, 0, nameof(OutboxProbe)), (d.State, d.Attempts, d.EventType)));
        Assert.Equal(5, await host.QueryDbAsync(db => db.OutboxMessages.CountAsync(m => (handled.Contains(m.Id) || unhandled.Contains(m.Id)) && m.DispatchedAt != null)));
        await host.Engine().DrainAsync(CancellationToken.None);
    }

    [Fact]
    public async Task FailingHandler_IsRetriedWithBackoff_ThenSucceedsOnce()
    {
        var log = new ProbeLog { FlakyFailures = 2 };
        await using var host = OutboxTestHost.Create(Database, log, new() { ["Outbox:MaxAttempts"] = "5" });
        var ids = await host.AddProbesAsync(1);

        // One round only (a drain could already retry once the short backoff passes).
        await host.Engine().DispatchAsync(CancellationToken.None);
        foreach (var delivery in await host.Engine().ClaimAsync(10, CancellationToken.None))
        {
            await host.Engine().ProcessAsync(delivery, CancellationToken.None);
        }

        var afterFirst = (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName);
        Assert.Equal((OutboxDeliveryState.Failed, 1), (afterFirst.State, afterFirst.Attempts));
        Assert.StartsWith("test.flaky: Planned failure 1.", afterFirst.LastError, StringComparison.Ordinal);
        // Attempt 1 waits between half and all of the base (50 ms).
        var firstDelay = afterFirst.NextAttemptAt - log.Attempts.Single(a => a.MessageId == ids[0]).At;
        Assert.InRange(firstDelay, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(1000));

        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await host.DeliveriesAsync(ids)).All(d => d.State == OutboxDeliveryState.Succeeded);
        }, TimeSpan.FromSeconds(20), "the flaky delivery to succeed");

        var flaky = (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName);
        Assert.Equal(3, flaky.Attempts);
        Assert.NotNull(flaky.CompletedAt);
        var times = log.Attempts.Where(a => a.MessageId == ids[0]).Select(a => a.At).ToList();
        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(20), $"no backoff between attempts 1 and 2: {times[1] - times[0]}");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(45), $"no growing backoff between attempts 2 and 3: {times[2] - times[1]}");
        Assert.Equal(1, log.Runs[(ids[0], FlakyProbeHandler.HandlerName)]);
        Assert.Equal(1, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == FlakyProbeHandler.Scope && r.Key == ids[0].ToString())));
    }

    [Fact]
    public async Task AlwaysFailingHandler_GoesDeadAfterMaxAttempts_AndCanBeRequeued()
    {
        var log = new ProbeLog { FlakyFailures = int.MaxValue };
        await using var host = OutboxTestHost.Create(Database, log);
        var ids = await host.AddProbesAsync(1);

        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName).State == OutboxDeliveryState.Dead;
        }, TimeSpan.FromSeconds(20), "the failing delivery to go dead");

        var dead = (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal(3, log.Attempts.Count(a => a.MessageId == ids[0]));
        Assert.NotNull(dead.CompletedAt);
        Assert.Null(dead.LockedBy);
        Assert.Contains("test.flaky", dead.LastError, StringComparison.Ordinal);
        // Dead is parked, not retried: more rounds do nothing.
        await host.Engine().DrainAsync(CancellationToken.None);
        Assert.Equal(3, log.Attempts.Count(a => a.MessageId == ids[0]));

        log.FlakyFailures = 0;
        log.FlakyRuns.Clear();
        Result requeued;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            requeued = await scope.ServiceProvider.GetRequiredService<IOutboxOperations>().RequeueAsync(dead.Id);
        }

        Assert.True(requeued.IsSuccess);
        var pending = (await host.DeliveriesAsync(ids)).Single(d => d.Id == dead.Id);
        Assert.Equal((OutboxDeliveryState.Pending, 0), (pending.State, pending.Attempts));

        await host.Engine().DrainAsync(CancellationToken.None);
        var done = (await host.DeliveriesAsync(ids)).Single(d => d.Id == dead.Id);
        Assert.Equal((OutboxDeliveryState.Succeeded, 1), (done.State, done.Attempts));
        Assert.Equal(1, await host.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => p.MessageId == ids[0] && p.Handler == FlakyProbeHandler.HandlerName)));
    }

    [Fact]
    public async Task Operations_RetryNowAndRequeue_OnlyFromTheirStates()
    {
        var log = new ProbeLog { FlakyFailures = 1 };
        await using var host = OutboxTestHost.Create(Database, log, new() { ["Outbox:BackoffBase"] = "01:00:00", ["Outbox:BackoffCap"] = "02:00:00" });
        var ids = await host.AddProbesAsync(1);
        await host.Engine().DrainAsync(CancellationToken.None);
        var failed = (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName);
        Assert.Equal(OutboxDeliveryState.Failed, failed.State);
        Assert.True(failed.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(29));

        await using var scope = host.Services.CreateAsyncScope();
        var operations = scope.ServiceProvider.GetRequiredService<IOutboxOperations>();
        Assert.Equal("outbox.delivery.state_invalid", (await operations.RequeueAsync(failed.Id)).Error?.Code);
        Assert.Equal("outbox.delivery.not_found", (await operations.RetryNowAsync(Guid.NewGuid())).Error?.Code);
        Assert.True((await operations.RetryNowAsync(failed.Id)).IsSuccess);

        await host.Engine().DrainAsync(CancellationToken.None);
        var done = (await host.DeliveriesAsync(ids)).Single(d => d.Id == failed.Id);
        Assert.Equal((OutboxDeliveryState.Succeeded, 2), (done.State, done.Attempts));
        Assert.Equal("outbox.delivery.state_invalid", (await operations.RetryNowAsync(failed.Id)).Error?.Code);
    }

    [Fact]
    public async Task ExpiredLease_OfACrashedWorker_IsTakenAndCompletedByAnother()
    {
        var log = new ProbeLog();
        await using var crashed = OutboxTestHost.Create(Database, new ProbeLog());
        await using var survivor = OutboxTestHost.Create(Database, log);
        var ids = await crashed.AddProbesAsync(1);
        await crashed.Engine().DispatchAsync(CancellationToken.None);
        var claimed = await crashed.Engine().ClaimAsync(10, CancellationToken.None);
        Assert.Contains(claimed, d => d.MessageId == ids[0]);

        // While the lease holds, nobody else gets it.
        Assert.DoesNotContain(await survivor.Engine().ClaimAsync(10, CancellationToken.None), d => d.MessageId == ids[0]);

        // The worker "crashed" (never finishes); its lease runs out.
        await crashed.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.MessageId == ids[0])
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, DateTimeOffset.UtcNow.AddSeconds(-1))));

        var retaken = await survivor.Engine().ClaimAsync(10, CancellationToken.None);
        Assert.Equal(2, retaken.Count(d => d.MessageId == ids[0]));
        Assert.All(retaken.Where(d => d.MessageId == ids[0]), d => Assert.Equal((2, survivor.Engine().WorkerId), (d.Attempts, d.LockedBy)));
        foreach (var delivery in retaken)
        {
            await survivor.Engine().ProcessAsync(delivery, CancellationToken.None);
        }

        // The crashed worker comes back and finishes its stale claim: the processed marker makes it a no-op.
        foreach (var delivery in claimed.Where(d => d.MessageId == ids[0]))
        {
            await crashed.Engine().ProcessAsync(delivery, CancellationToken.None);
        }

        Assert.All(await survivor.DeliveriesAsync(ids), d => Assert.Equal(OutboxDeliveryState.Succeeded, d.State));
        Assert.Equal(2, await survivor.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => p.MessageId == ids[0])));
        Assert.Equal(1, await survivor.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == RecordingProbeHandler.Scope && r.Key == ids[0].ToString())));
    }

    [Fact]
    public async Task Workers_WakeOnCommit_WithoutWaitingForThePoll()
    {
        var log = new ProbeLog();
        await using var host = OutboxTestHost.Create(Database, log, new() { ["Outbox:PollInterval"] = "00:01:00" });
        var worker = host.Services.GetServices<IHostedService>().OfType<OutboxBackgroundService>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Let the loops reach their first idle wait (a poll of one minute).
            await OutboxTestHost.WaitUntilAsync(() => Task.FromResult(worker.ExecuteTask is not null), TimeSpan.FromSeconds(5), "the worker to start");
            var ids = await host.AddProbesAsync(1);

            await OutboxTestHost.WaitUntilAsync(
                async () => (await host.DeliveriesAsync(ids)) is { Count: 2 } d && d.All(x => x.State == OutboxDeliveryState.Succeeded),
                TimeSpan.FromSeconds(15), "the committed message to be delivered by the woken workers");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Workers_RetryAFailedDeliveryWhenItFallsDue_WithoutWaitingForThePoll()
    {
        var log = new ProbeLog { FlakyFailures = 1 };
        await using var host = OutboxTestHost.Create(Database, log, new()
        {
            ["Outbox:PollInterval"] = "00:01:00",
            ["Outbox:BackoffBase"] = "00:00:00.500",
            ["Outbox:BackoffCap"] = "00:00:01",
        });
        var worker = host.Services.GetServices<IHostedService>().OfType<OutboxBackgroundService>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await OutboxTestHost.WaitUntilAsync(() => Task.FromResult(worker.ExecuteTask is not null), TimeSpan.FromSeconds(5), "the worker to start");
            var ids = await host.AddProbesAsync(1);

            // The flaky handler fails once (backoff 250–500 ms, so not yet due when the worker looks again at once);
            // only a wake-up at the due time retries it before the one-minute poll.
            await OutboxTestHost.WaitUntilAsync(
                async () => (await host.DeliveriesAsync(ids)) is { Count: 2 } d && d.All(x => x.State == OutboxDeliveryState.Succeeded),
                TimeSpan.FromSeconds(15), "the failed delivery to be retried when due");
            Assert.Equal(2, (await host.DeliveriesAsync(ids)).Single(d => d.Handler == FlakyProbeHandler.HandlerName).Attempts);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}

public sealed class PostgresOutboxTests(PostgresTestDatabase database) : OutboxTests<PostgresTestDatabase>(database);

public sealed class SqliteOutboxTests(SqliteTestDatabase database) : OutboxTests<SqliteTestDatabase>(database);
