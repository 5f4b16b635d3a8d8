using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monolith.Application.Common.Jobs;
using Monolith.Infrastructure.Jobs;
using Monolith.TestSupport;
using Quartz;

namespace Monolith.Infrastructure.Tests.Jobs;

/// <summary>The Quartz scheduler as the app wires it: job list, trigger-now, health — on PostgreSQL (clustered ADO store) and SQLite (RAM store).</summary>
public abstract class SchedulerTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    protected TDatabase Database { get; } = database;

    [Fact]
    public async Task List_ShowsEveryJobWithItsNextRun_AndDisabledJobsWithout()
    {
        await using var host = NewHost(new() { ["Jobs:Dunning:Enabled"] = "false" });
        var jobs = host.Services.GetRequiredService<IRecurringJobs>();

        var list = await jobs.ListAsync(CancellationToken.None);

        Assert.Equal(
            ["billing.checkout-expiry", "billing.dunning-reminders", "billing.inbox-retry", "billing.reconciliation", "maintenance.retention"],
            list.Select(j => j.Name).Order(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        Assert.All(list.Where(j => j.Name != "billing.dunning-reminders"), j =>
        {
            Assert.True(j.Enabled);
            Assert.NotNull(j.NextRunAt);
            Assert.InRange(j.NextRunAt!.Value, now, now.AddDays(1.1));
            Assert.False(string.IsNullOrWhiteSpace(j.Description));
            Assert.Null(j.LastRunAt);
        });
        var dunning = list.Single(j => j.Name == "billing.dunning-reminders");
        Assert.False(dunning.Enabled);
        Assert.Null(dunning.NextRunAt);
        Assert.Equal("jobs.disabled", (await jobs.TriggerAsync("billing.dunning-reminders", CancellationToken.None)).Error?.Code);
        Assert.Equal("jobs.not_found", (await jobs.TriggerAsync("no.such-job", CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task TriggerNow_RunsTheJobOnce_AndTheListShowsTheOutcome()
    {
        await using var host = NewHost();
        var scheduler = await StartAsync(host);
        try
        {
            var jobs = host.Services.GetRequiredService<IRecurringJobs>();
            Assert.True((await jobs.TriggerAsync("maintenance.retention", CancellationToken.None)).IsSuccess);

            await WaitAsync(() => host.Services.GetRequiredService<JobRunLog>().Runs("maintenance.retention").Count >= 1);
            var info = (await jobs.ListAsync(CancellationToken.None)).Single(j => j.Name == "maintenance.retention");
            Assert.NotNull(info.LastRunAt);
            Assert.StartsWith("ok: deleted", info.LastOutcome, StringComparison.Ordinal);
            Assert.Null(info.LastError);
        }
        finally
        {
            await scheduler.Shutdown(true);
        }
    }

    [Fact]
    public async Task Health_IsReadyOnlyWhileTheSchedulerRuns()
    {
        await using var host = NewHost();
        var check = ActivatorUtilities.CreateInstance<SchedulerHealthCheck>(host.Services);
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("scheduler", check, HealthStatus.Unhealthy, ["ready"]),
        };

        var beforeStart = await check.CheckHealthAsync(context);
        var scheduler = await StartAsync(host);
        var running = await check.CheckHealthAsync(context);
        await scheduler.Standby();
        var standby = await check.CheckHealthAsync(context);
        await scheduler.Shutdown(true);

        Assert.Equal(HealthStatus.Unhealthy, beforeStart.Status);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(HealthStatus.Unhealthy, standby.Status);
        Assert.Contains("Standby", standby.Description, StringComparison.Ordinal);
    }

    internal ApplicationHost NewHost(Dictionary<string, string?>? settings = null) => new(Database, settings: settings);

    internal static async Task<IScheduler> StartAsync(ApplicationHost host)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        return scheduler;
    }

    internal static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "Timed out waiting for the scheduler.");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteSchedulerTests(SqliteTestDatabase database) : SchedulerTests<SqliteTestDatabase>(database);

public sealed class PostgresSchedulerTests(PostgresTestDatabase database) : SchedulerTests<PostgresTestDatabase>(database)
{
    /// <summary>
    /// Two app instances (two hosts, one database) share the clustered job store: a schedule that fires every second
    /// runs each firing on exactly one of them, and trigger-now from each host runs the job once per trigger.
    /// </summary>
    [Fact]
    public async Task TwoInstances_ShareOneSchedule_EachFiringRunsExactlyOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Reconciliation:Cron"] = "* * * * * ?",
            ["Jobs:ClusterCheckinInterval"] = "00:00:01",
        };
        await using var first = NewHost(settings);
        await using var second = NewHost(settings);
        var schedulers = new[] { await StartAsync(first), await StartAsync(second) };
        var logs = new[] { first, second }.Select(h => h.Services.GetRequiredService<JobRunLog>()).ToArray();
        try
        {
            foreach (var scheduler in schedulers)
            {
                var metadata = await scheduler.GetMetadata();
                Assert.True(metadata.JobStorePersistent && metadata.JobStoreClustered, metadata.JobStoreTypeName);
            }

            Assert.NotEqual(await schedulers[0].GetSchedulerInstanceId(), await schedulers[1].GetSchedulerInstanceId());

            Assert.True((await first.Services.GetRequiredService<IRecurringJobs>().TriggerAsync("maintenance.retention", CancellationToken.None)).IsSuccess);
            Assert.True((await second.Services.GetRequiredService<IRecurringJobs>().TriggerAsync("maintenance.retention", CancellationToken.None)).IsSuccess);

            await WaitAsync(() => logs.Sum(l => l.Runs("billing.reconciliation").Count) >= 6
                                  && logs.Sum(l => l.Runs("maintenance.retention").Count) >= 2);
        }
        finally
        {
            await Task.WhenAll(schedulers.Select(s => s.Shutdown(true).AsTask()));
        }

        var fired = logs.SelectMany(l => l.Runs("billing.reconciliation")).Select(r => r.ScheduledFor).ToList();
        Assert.Equal(fired.Count, fired.Distinct().Count());
        Assert.All(logs.SelectMany(l => l.Runs("billing.reconciliation")), r => Assert.StartsWith("ok:", r.Outcome, StringComparison.Ordinal));
        Assert.Equal(2, logs.Sum(l => l.Runs("maintenance.retention").Count));
    }
}
