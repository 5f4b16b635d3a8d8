using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>
/// A claimed batch runs in one transaction with one commit: a handler that fails loses only its own changes, and a
/// database error inside a handler rolls the batch back and runs every delivery on its own (markers keep it exactly once).
/// </summary>
public abstract class OutboxBatchTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Batch_WithAFailingHandler_CommitsTheOthers_AndRecordsOnlyThatFailure()
    {
        var log = new ProbeLog { FlakyFailures = 1 };
        await using var host = OutboxTestHost.Create(database, log);
        var ids = await host.AddProbesAsync(3);
        while (await host.Engine().DispatchAsync(CancellationToken.None) > 0)
        {
        }

        var claimed = await host.Engine().ClaimAsync(20, CancellationToken.None);
        Assert.Equal(6, claimed.Count(d => ids.Contains(d.MessageId)));
        await host.Engine().ProcessBatchAsync(claimed, CancellationToken.None);

        var deliveries = await host.DeliveriesAsync(ids);
        Assert.All(deliveries.Where(d => d.Handler == RecordingProbeHandler.HandlerName), d => Assert.Equal(OutboxDeliveryState.Succeeded, d.State));
        Assert.All(deliveries.Where(d => d.Handler == FlakyProbeHandler.HandlerName), d =>
        {
            Assert.Equal(OutboxDeliveryState.Failed, d.State);
            Assert.StartsWith("test.flaky", d.LastError, StringComparison.Ordinal);
        });
        var keys = ids.Select(i => i.ToString()).ToList();
        Assert.Equal(3, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == RecordingProbeHandler.Scope && keys.Contains(r.Key))));
        Assert.Equal(0, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == FlakyProbeHandler.Scope && keys.Contains(r.Key))));
        Assert.Equal(3, await host.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => ids.Contains(p.MessageId) && p.Handler == RecordingProbeHandler.HandlerName)));
        Assert.Equal(0, await host.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => ids.Contains(p.MessageId) && p.Handler == FlakyProbeHandler.HandlerName)));
    }

    [Fact]
    public async Task Batch_WhoseHandlerHitsADatabaseError_RollsBack_AndRunsEachDeliveryOnItsOwn()
    {
        var scope = $"batch-test:{Guid.NewGuid():N}";
        await using var host = new ApplicationHost(database, services =>
        {
            services.AddSingleton(new ConflictScope(scope));
            services.AddScoped<IOutboxHandler<OutboxProbe>, ConflictingProbeHandler>();
        }, new Dictionary<string, string?> { ["Outbox:Workers:Enabled"] = "false", ["Outbox:MaxAttempts"] = "3" });
        var ids = await host.AddProbesAsync(2);
        while (await host.Engine().DispatchAsync(CancellationToken.None) > 0)
        {
        }

        var claimed = await host.Engine().ClaimAsync(20, CancellationToken.None);
        await host.Engine().ProcessBatchAsync(claimed.Where(d => ids.Contains(d.MessageId)).ToList(), CancellationToken.None);

        // Both handlers write the same unique key: in the batch the second write fails and rolls everything back; run one
        // by one, the first commits and the second fails on its own.
        var states = (await host.DeliveriesAsync(ids)).Select(d => d.State).Order().ToList();
        Assert.Equal([OutboxDeliveryState.Failed, OutboxDeliveryState.Succeeded], states);
        Assert.Equal(1, await host.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == scope)));
        Assert.Equal(1, await host.QueryDbAsync(db => db.OutboxProcessed.CountAsync(p => ids.Contains(p.MessageId))));
    }

    private sealed record ConflictScope(string Value);

    private sealed class ConflictingProbeHandler(IAppDbContext db, ConflictScope scope, TimeProvider clock) : IOutboxHandler<OutboxProbe>
    {
        public string Name => "test.probe-conflicting";

        public Task<Result> HandleAsync(OutboxProbe e, OutboxContext ctx, CancellationToken ct)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord(scope.Value, "same-key", "h", clock.GetUtcNow()));
            return Task.FromResult(Result.Success());
        }
    }
}

public sealed class PostgresOutboxBatchTests(PostgresTestDatabase database) : OutboxBatchTests<PostgresTestDatabase>(database);

public sealed class SqliteOutboxBatchTests(SqliteTestDatabase database) : OutboxBatchTests<SqliteTestDatabase>(database);
