using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>Two independent instances (service providers, each with its dispatcher and workers) on one PostgreSQL.</summary>
public sealed class PostgresOutboxConcurrencyTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task TwoInstances_CompleteEveryDeliveryExactlyOnce()
    {
        const int messages = 200;
        var settings = new Dictionary<string, string?> { ["Outbox:Workers:Concurrency"] = "4", ["Outbox:BatchSize"] = "7" };
        var logs = new[] { new ProbeLog(), new ProbeLog() };
        await using var first = OutboxTestHost.Create(database, logs[0], settings);
        await using var second = OutboxTestHost.Create(database, logs[1], settings);
        var workers = new[] { first, second }
            .Select(h => h.Services.GetServices<IHostedService>().OfType<OutboxBackgroundService>().Single()).ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        try
        {
            // Written from both instances in small commits while the workers run.
            var writes = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).AddProbesAsync(messages / 20));
            var ids = (await Task.WhenAll(writes)).SelectMany(x => x).ToList();

            await OutboxTestHost.WaitUntilAsync(
                async () => await first.QueryDbAsync(db => db.OutboxDeliveries.CountAsync(d => d.State == OutboxDeliveryState.Succeeded)) == messages * 2,
                TimeSpan.FromSeconds(60), "every delivery to succeed");

            var deliveries = await first.DeliveriesAsync(ids);
            Assert.Equal(messages * 2, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
            Assert.Equal(messages * 2, await first.QueryDbAsync(db => db.OutboxProcessed.CountAsync()));
            Assert.Equal(messages, await first.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == RecordingProbeHandler.Scope)));
            Assert.Equal(messages, await first.QueryDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Scope == FlakyProbeHandler.Scope)));
            foreach (var id in ids)
            {
                foreach (var handler in OutboxTestHost.ProbeHandlers)
                {
                    var runs = logs.Sum(l => l.Runs.GetValueOrDefault((id, handler)));
                    Assert.True(runs == 1, $"{handler} ran {runs} times for {id}");
                }
            }

            Assert.All(logs, l => Assert.NotEmpty(l.Runs));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }
}
