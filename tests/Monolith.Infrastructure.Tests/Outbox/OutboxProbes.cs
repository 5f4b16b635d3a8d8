using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>A test-only event with two handlers, and one with none.</summary>
public sealed record OutboxProbe(Guid ProbeId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UnhandledProbe(Guid ProbeId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>What the probe handlers did (one per host), and how the next runs should behave.</summary>
public sealed class ProbeLog
{
    public ConcurrentDictionary<(Guid MessageId, string Handler), int> Runs { get; } = new();
    public ConcurrentQueue<(Guid MessageId, DateTimeOffset At)> Attempts { get; } = new();

    /// <summary>How many more runs of the flaky handler fail (per message).</summary>
    public int FlakyFailures { get; set; }

    public ConcurrentDictionary<Guid, int> FlakyRuns { get; } = new();

    /// <summary>Messages the flaky handler fails (code <c>test.fault</c>) for as long as <see cref="FaultActive"/> holds.</summary>
    public ConcurrentDictionary<Guid, bool> Faulty { get; } = new();

    public bool FaultActive { get; set; }
}

/// <summary>Side effect in the handler's own transaction: an idempotency row keyed by message (a second run would violate its key).</summary>
internal sealed class RecordingProbeHandler(IAppDbContext db, ProbeLog log, TimeProvider clock) : IOutboxHandler<OutboxProbe>
{
    public const string HandlerName = "test.probe-recording";
    public const string Scope = "outbox-test:recording";

    public string Name => HandlerName;

    public Task<Result> HandleAsync(OutboxProbe e, OutboxContext ctx, CancellationToken ct)
    {
        db.IdempotencyRecords.Add(new IdempotencyRecord(Scope, ctx.MessageId.ToString(), "h", clock.GetUtcNow()));
        log.Runs.AddOrUpdate((ctx.MessageId, Name), 1, (_, n) => n + 1);
        return Task.FromResult(Result.Success());
    }
}

/// <summary>Fails <see cref="ProbeLog.FlakyFailures"/> times per message, then succeeds with a side effect.</summary>
internal sealed class FlakyProbeHandler(IAppDbContext db, ProbeLog log, TimeProvider clock) : IOutboxHandler<OutboxProbe>
{
    public const string HandlerName = "test.probe-flaky";
    public const string Scope = "outbox-test:flaky";

    public string Name => HandlerName;

    public Task<Result> HandleAsync(OutboxProbe e, OutboxContext ctx, CancellationToken ct)
    {
        log.Attempts.Enqueue((ctx.MessageId, clock.GetUtcNow()));
        if (log.FaultActive && log.Faulty.ContainsKey(ctx.MessageId))
        {
            return Task.FromResult(Result.Failure(Error.Upstream("test.fault", "The fault burst is on.")));
        }

        var run = log.FlakyRuns.AddOrUpdate(ctx.MessageId, 1, (_, n) => n + 1);
        if (run <= log.FlakyFailures)
        {
            return Task.FromResult(Result.Failure(Error.Upstream("test.flaky", $"Planned failure {run}.")));
        }

        db.IdempotencyRecords.Add(new IdempotencyRecord(Scope, ctx.MessageId.ToString(), "h", clock.GetUtcNow()));
        log.Runs.AddOrUpdate((ctx.MessageId, Name), 1, (_, n) => n + 1);
        return Task.FromResult(Result.Success());
    }
}

internal static class OutboxTestHost
{
    public static readonly string[] ProbeHandlers = [RecordingProbeHandler.HandlerName, FlakyProbeHandler.HandlerName];

    /// <summary>An application host with the probe handlers; workers off unless asked (tests drive the engine by hand).</summary>
    public static ApplicationHost Create(TestDatabase database, ProbeLog log, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Outbox:PollInterval"] = "00:00:00.050",
            ["Outbox:BackoffBase"] = "00:00:00.050",
            ["Outbox:BackoffCap"] = "00:00:00.200",
            ["Outbox:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new ApplicationHost(database, services =>
        {
            services.AddSingleton(log);
            services.AddScoped<IOutboxHandler<OutboxProbe>, RecordingProbeHandler>();
            services.AddScoped<IOutboxHandler<OutboxProbe>, FlakyProbeHandler>();
        }, all);
    }

    public static OutboxEngine Engine(this ApplicationHost host) => host.Services.GetRequiredService<OutboxEngine>();

    /// <summary>Writes <paramref name="count"/> probe messages the way AppDbContext does (type name + web JSON).</summary>
    public static async Task<List<Guid>> AddProbesAsync(this ApplicationHost host, int count, bool handled = true)
    {
        var ids = new List<Guid>();
        await host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid();
                object probe = handled ? new OutboxProbe(Guid.NewGuid(), now) : new UnhandledProbe(Guid.NewGuid(), now);
                db.OutboxMessages.Add(new OutboxMessage(id, probe.GetType().Name, JsonSerializer.Serialize(probe, probe.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web)), now, now));
                ids.Add(id);
            }

            return await db.SaveChangesAsync();
        });
        return ids;
    }

    public static Task<List<OutboxDelivery>> DeliveriesAsync(this ApplicationHost host, IReadOnlyCollection<Guid> messageIds) =>
        host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking().Where(d => messageIds.Contains(d.MessageId)).ToListAsync());

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (never a fixed sleep).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (never a fixed sleep).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(25);
        }
    }
}
