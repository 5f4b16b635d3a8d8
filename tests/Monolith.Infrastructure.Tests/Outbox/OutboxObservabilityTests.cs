using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monolith.Application.Common.Outbox;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>The outbox's readiness check (lag) and its metrics (lag, successes, failures), on a real database per provider.</summary>
public abstract class OutboxObservabilityTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task ReadyCheck_OldUndispatchedMessage_IsUnhealthyUntilDrained()
    {
        await using var host = OutboxTestHost.Create(database, new ProbeLog(), new() { ["Outbox:ReadyMaxLag"] = "00:01:00" });
        await host.Engine().DrainAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await OutboxHealthAsync(host)).Status);

        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        var probe = new OutboxProbe(Guid.NewGuid(), old);
        await host.QueryDbAsync(db =>
        {
            db.OutboxMessages.Add(new OutboxMessage(Guid.NewGuid(), nameof(OutboxProbe), JsonSerializer.Serialize(probe, new JsonSerializerOptions(JsonSerializerDefaults.Web)), old, old));
            return db.SaveChangesAsync();
        });

        var lagging = await OutboxHealthAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, lagging.Status);
        Assert.True((double)lagging.Data["lagSeconds"] >= 600, $"lag {lagging.Data["lagSeconds"]}");

        await host.Engine().DrainAsync(CancellationToken.None);
        var drained = await OutboxHealthAsync(host);
        Assert.Equal(HealthStatus.Healthy, drained.Status);
        Assert.True((double)drained.Data["lagSeconds"] < 60);
    }

    [Fact]
    public async Task Metrics_RecordLagSuccessesAndFailures_PerHandler()
    {
        await using var host = OutboxTestHost.Create(database, new ProbeLog { FlakyFailures = 1 });
        await host.Engine().DrainAsync(CancellationToken.None);
        using var recorder = new MetricRecorder(host.Services.GetRequiredService<IMeterFactory>());

        var ids = await host.AddProbesAsync(3);
        await OutboxTestHost.WaitUntilAsync(async () =>
        {
            await host.Engine().DrainAsync(CancellationToken.None);
            return (await host.DeliveriesAsync(ids)).All(d => d.State == OutboxDeliveryState.Succeeded);
        }, TimeSpan.FromSeconds(15), "every probe delivery to succeed");

        Assert.Equal(3, recorder.Sum("monolith.outbox.deliveries.succeeded", ("handler", RecordingProbeHandler.HandlerName)));
        Assert.Equal(3, recorder.Sum("monolith.outbox.deliveries.succeeded", ("handler", FlakyProbeHandler.HandlerName)));
        Assert.Equal(3, recorder.Sum("monolith.outbox.delivery.failures", ("handler", FlakyProbeHandler.HandlerName), ("outcome", "retry")));
        Assert.Equal(0, recorder.Sum("monolith.outbox.delivery.failures", ("handler", RecordingProbeHandler.HandlerName)));
        // One lag sample per handler start: 3 recording + 3 flaky first attempts + 3 flaky retries.
        Assert.Equal(9, recorder.Count("monolith.outbox.delivery.lag"));
    }

    private static async Task<HealthReportEntry> OutboxHealthAsync(ApplicationHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "outbox");
        return report.Entries["outbox"];
    }
}

public sealed class PostgresOutboxObservabilityTests(PostgresTestDatabase database) : OutboxObservabilityTests<PostgresTestDatabase>(database);

public sealed class SqliteOutboxObservabilityTests(SqliteTestDatabase database) : OutboxObservabilityTests<SqliteTestDatabase>(database);
