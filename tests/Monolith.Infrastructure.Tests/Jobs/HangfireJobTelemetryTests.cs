using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Telemetry;
using Monolith.Infrastructure.Jobs;
using Monolith.Infrastructure.Tests.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Jobs;

/// <summary>A job the telemetry test enqueues: succeeds, or throws.</summary>
public sealed class TelemetryProbeJob
{
    [JobDisplayName("telemetry probe {0}")]
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public Task<string> RunAsync(string label, bool fail) =>
        fail ? throw new InvalidOperationException($"probe {label} fails") : Task.FromResult($"probe {label} ran");
}

/// <summary>Every Hangfire job execution is a span on the Monolith source with its name and outcome (HangfireJobTelemetryFilter).</summary>
public sealed class HangfireJobTelemetryTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public async Task JobExecution_IsASpan_NamedAfterTheJob_WithItsOutcome()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MonolithTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == HangfireJobTelemetryFilter.ActivityName)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = new ApplicationHost(database, settings: new Dictionary<string, string?> { ["Jobs:QueuePollInterval"] = "00:00:00.100" });
        await RecurringJobsTests<SqliteTestDatabase>.StartAsync(host, server: true);
        var client = host.Services.GetRequiredService<IBackgroundJobClient>();
        var label = Guid.NewGuid().ToString("N")[..8];

        var ok = client.Enqueue<TelemetryProbeJob>(j => j.RunAsync(label + "-ok", false));
        var bad = client.Enqueue<TelemetryProbeJob>(j => j.RunAsync(label + "-bad", true));
        await OutboxTestHost.WaitUntilAsync(() => spans.Count(s => Equals(s.GetTagItem("hangfire.job.id"), ok) || Equals(s.GetTagItem("hangfire.job.id"), bad)) == 2,
            TimeSpan.FromSeconds(30), "a span for each probe job");
        await RecurringJobsTests<SqliteTestDatabase>.StopAsync(host);

        var succeeded = spans.Single(s => Equals(s.GetTagItem("hangfire.job.id"), ok));
        Assert.Equal($"telemetry probe {label}-ok", succeeded.DisplayName);
        Assert.Equal($"telemetry probe {label}-ok", succeeded.GetTagItem("hangfire.job.name"));
        Assert.Equal("TelemetryProbeJob.RunAsync", succeeded.GetTagItem("hangfire.job.type"));
        Assert.Equal("succeeded", succeeded.GetTagItem("hangfire.job.outcome"));
        Assert.NotEqual(ActivityStatusCode.Error, succeeded.Status);

        var failed = spans.Single(s => Equals(s.GetTagItem("hangfire.job.id"), bad));
        Assert.Equal($"telemetry probe {label}-bad", failed.DisplayName);
        Assert.Equal("failed", failed.GetTagItem("hangfire.job.outcome"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(nameof(InvalidOperationException), failed.StatusDescription);
    }
}
