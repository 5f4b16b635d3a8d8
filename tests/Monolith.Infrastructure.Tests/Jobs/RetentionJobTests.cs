using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Outbox;
using Monolith.Infrastructure.Jobs;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Jobs;

/// <summary>The retention job deletes only what is older than its retention and finished; a second run deletes nothing.</summary>
public abstract class RetentionJobTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Retention_DeletesOnlyOldFinishedRows_AndASecondRunDeletesNothing()
    {
        await using var host = new ApplicationHost(database, settings: new Dictionary<string, string?>
        {
            ["Jobs:Retention:IdempotencyRetention"] = "30.00:00:00",
            ["Jobs:Retention:OutboxRetention"] = "14.00:00:00",
        });
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-20);
        var (m1, m2, m3) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (deadOld, succeededOldOfM2, succeededNew) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await host.QueryDbAsync(async db =>
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord("scope", "old-key", "hash", now.AddDays(-31)));
            db.IdempotencyRecords.Add(new IdempotencyRecord("scope", "fresh-key", "hash", now.AddDays(-29)));
            Message(db, m1, old);
            Message(db, m2, old);
            Message(db, m3, now.AddDays(-1));
            Delivery(db, Guid.NewGuid(), m1, "a", OutboxDeliveryState.Succeeded, old, marker: true);
            Delivery(db, deadOld, m2, "a", OutboxDeliveryState.Dead, null, marker: false);
            Delivery(db, succeededOldOfM2, m2, "b", OutboxDeliveryState.Succeeded, old, marker: true);
            Delivery(db, succeededNew, m3, "a", OutboxDeliveryState.Succeeded, now.AddDays(-1), marker: true);
            return await db.SaveChangesAsync();
        });
        var job = ActivatorUtilities.CreateInstance<RetentionJob>(host.Services);

        var first = await job.RunAsync(CancellationToken.None);
        var second = await job.RunAsync(CancellationToken.None);

        Assert.Equal("deleted 1 idempotency records, 2 deliveries, 2 markers, 1 messages", first);
        Assert.Equal("deleted 0 idempotency records, 0 deliveries, 0 markers, 0 messages", second);
        Assert.Equal(["fresh-key"], await host.QueryDbAsync(db => db.IdempotencyRecords.Select(r => r.Key).ToListAsync()));
        Assert.Equal(new[] { m2, m3 }.Order(), (await host.QueryDbAsync(db => db.OutboxMessages
            .Where(m => m.Id == m1 || m.Id == m2 || m.Id == m3).Select(m => m.Id).ToListAsync())).Order());
        Assert.Equal(new[] { deadOld, succeededNew }.Order(), (await host.QueryDbAsync(db => db.OutboxDeliveries
            .Where(d => d.MessageId == m1 || d.MessageId == m2 || d.MessageId == m3).Select(d => d.Id).ToListAsync())).Order());
        Assert.Equal([m3], await host.QueryDbAsync(db => db.OutboxProcessed
            .Where(p => p.MessageId == m1 || p.MessageId == m2 || p.MessageId == m3).Select(p => p.MessageId).ToListAsync()));
    }

    private static void Message(AppDbContext db, Guid id, DateTimeOffset dispatchedAt)
    {
        var message = new OutboxMessage(id, "TestEvent", "{}", dispatchedAt, dispatchedAt);
        db.OutboxMessages.Add(message);
        db.Entry(message).Property(m => m.DispatchedAt).CurrentValue = dispatchedAt;
    }

    private static void Delivery(AppDbContext db, Guid id, Guid messageId, string handler, OutboxDeliveryState state, DateTimeOffset? completedAt, bool marker)
    {
        var delivery = new OutboxDelivery(id, messageId, "TestEvent", handler, completedAt ?? DateTimeOffset.UtcNow.AddDays(-20));
        db.OutboxDeliveries.Add(delivery);
        db.Entry(delivery).Property(d => d.State).CurrentValue = state;
        db.Entry(delivery).Property(d => d.CompletedAt).CurrentValue = completedAt;
        if (marker)
        {
            db.OutboxProcessed.Add(new OutboxProcessedMarker(messageId, handler, completedAt!.Value));
        }
    }
}

public sealed class PostgresRetentionJobTests(PostgresTestDatabase database) : RetentionJobTests<PostgresTestDatabase>(database);

public sealed class SqliteRetentionJobTests(SqliteTestDatabase database) : RetentionJobTests<SqliteTestDatabase>(database);
