using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Monolith.Infrastructure.Jobs;
using Monolith.Infrastructure.Tests.Outbox;
using Monolith.TestSupport;
using Npgsql;

namespace Monolith.Infrastructure.Tests.Jobs;

/// <summary>
/// The recurring jobs on Hangfire as the app wires them — schedules from <c>Jobs:*</c>, trigger-now, storage health —
/// on PostgreSQL (Hangfire.PostgreSql, schema <c>hangfire</c>) and SQLite (Hangfire.InMemory).
/// </summary>
public abstract class RecurringJobsTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    protected TDatabase Database { get; } = database;

    [Fact]
    public async Task Start_SchedulesEveryEnabledJobWithItsCron_AndRemovesDisabledAndUnknownOnes()
    {
        await using var host = NewHost(new() { ["Jobs:Dunning:Enabled"] = "false", ["Jobs:Retention:Cron"] = "0 45 2 * * ?" });
        var manager = host.Services.GetRequiredService<IRecurringJobManager>();
        manager.AddOrUpdate("billing.dunning-reminders", RecurringJobDefinition.All[0].Job(), "0 * * * *");
        manager.AddOrUpdate("old.renamed-job", RecurringJobDefinition.All[0].Job(), "0 * * * *");

        await StartAsync(host, server: false);

        using var connection = Storage(host).GetConnection();
        var jobs = connection.GetRecurringJobs();
        Assert.Equal(
            ["billing.checkout-expiry", "billing.inbox-retry", "billing.reconciliation", "maintenance.retention"],
            jobs.Select(j => j.Id).Order(StringComparer.Ordinal));
        var now = DateTime.UtcNow;
        Assert.All(jobs, j =>
        {
            Assert.Null(j.Error);
            Assert.Equal("UTC", j.TimeZoneId);
            Assert.InRange(j.NextExecution!.Value, now, now.AddDays(1.1));
        });
        var retention = jobs.Single(j => j.Id == "maintenance.retention");
        Assert.Equal("0 45 2 * * ?", retention.Cron);
        Assert.Equal((2, 45), (retention.NextExecution!.Value.Hour, retention.NextExecution.Value.Minute));
        Assert.Equal("0 7/15 * * * ?", jobs.Single(j => j.Id == "billing.reconciliation").Cron);
    }

    [Fact]
    public async Task TriggerNow_RunsTheJobOnce_WithItsSummaryAsTheResult()
    {
        await using var host = NewHost();
        await StartAsync(host, server: true);

        var jobId = host.Services.GetRequiredService<IRecurringJobManager>() is RecurringJobManager manager
            ? manager.TriggerJob("maintenance.retention")
            : throw new InvalidOperationException("Unexpected manager.");

        await OutboxTestHost.WaitUntilAsync(() => StateOf(host, jobId)?.Name == "Succeeded", Deadline, "the triggered run to succeed");
        var state = StateOf(host, jobId)!;
        Assert.StartsWith("\"deleted ", state.Data["Result"], StringComparison.Ordinal);
        Assert.Equal("maintenance.retention", Storage(host).GetMonitoringApi().JobDetails(jobId).Properties["RecurringJobId"].Trim('"'));
        await StopAsync(host);
    }

    [Fact]
    public async Task Health_IsReady_WhenTheStorageAnswers()
    {
        await using var host = NewHost();
        var check = ActivatorUtilities.CreateInstance<HangfireStorageHealthCheck>(host.Services);

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    internal ApplicationHost NewHost(Dictionary<string, string?>? settings = null) => new(Database, settings: settings);

    internal static JobStorage Storage(ApplicationHost host) => host.Services.GetRequiredService<JobStorage>();

    internal static StateData? StateOf(ApplicationHost host, string jobId)
    {
        using var connection = Storage(host).GetConnection();
        return connection.GetStateData(jobId);
    }

    internal static HealthCheckContext Context(IHealthCheck check) => new()
    {
        Registration = new HealthCheckRegistration("jobs", check, HealthStatus.Unhealthy, ["ready"]),
    };

    /// <summary>Starts what the app's host would: the schedule registrar and (optionally) the Hangfire server.</summary>
    internal static async Task StartAsync(ApplicationHost host, bool server)
    {
        foreach (var service in host.Services.GetServices<IHostedService>()
                     .Where(s => s is RecurringJobsRegistrar || (server && s.GetType().Namespace?.StartsWith("Hangfire", StringComparison.Ordinal) == true)))
        {
            await service.StartAsync(CancellationToken.None);
            Started(host).Add(service);
        }
    }

    internal static async Task StopAsync(ApplicationHost host)
    {
        foreach (var service in Started(host))
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ApplicationHost, List<IHostedService>> Running = [];

    private static List<IHostedService> Started(ApplicationHost host) => Running.GetOrCreateValue(host);
}

public sealed class SqliteRecurringJobsTests(SqliteTestDatabase database) : RecurringJobsTests<SqliteTestDatabase>(database);

public sealed class PostgresRecurringJobsTests(PostgresTestDatabase database) : RecurringJobsTests<PostgresTestDatabase>(database)
{
    /// <summary>
    /// Three app instances (three hosts, one database, three Hangfire servers) share one schedule: a job that fires
    /// every second is enqueued once per occurrence and each enqueued run is processed once; trigger-now from each host
    /// runs once per trigger.
    /// </summary>
    [Fact]
    public async Task ThreeInstances_ShareOneSchedule_EachFiringRunsExactlyOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Reconciliation:Cron"] = "* * * * * *",
            ["Jobs:SchedulePollingInterval"] = "00:00:01",
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
        };
        await using var first = NewHost(settings);
        await using var second = NewHost(settings);
        await using var third = NewHost(settings);
        ApplicationHost[] hosts = [first, second, third];
        foreach (var host in hosts)
        {
            await StartAsync(host, server: true);
        }

        await OutboxTestHost.WaitUntilAsync(() => Storage(first).GetMonitoringApi().Servers().Count == 3, Deadline, "three Hangfire servers");
        var triggered = hosts.Select(h => ((RecurringJobManager)h.Services.GetRequiredService<IRecurringJobManager>()).TriggerJob("maintenance.retention")).ToList();
        await OutboxTestHost.WaitUntilAsync(() => Count("billing.reconciliation", "Succeeded") >= 6 && triggered.All(id => StateOf(first, id)?.Name == "Succeeded"), Deadline, "six firings and every trigger to succeed");
        foreach (var host in hosts)
        {
            await StopAsync(host);
        }

        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        // One enqueued job per occurrence ("Time" is the occurrence the scheduler fired), and every job processed once.
        Assert.Equal(
            await ScalarAsync(connection, JobsOf("billing.reconciliation", "count(*)")),
            await ScalarAsync(connection, JobsOf("billing.reconciliation", "count(distinct (select value from hangfire.jobparameter t where t.jobid = p.jobid and t.name = 'Time'))")));
        Assert.Equal(0, await ScalarAsync(connection, "select count(*) from (select jobid from hangfire.state where name = 'Processing' group by jobid having count(*) > 1) twice"));
        Assert.Equal(0, await ScalarAsync(connection, "select count(*) from hangfire.state where name = 'Failed'"));
        Assert.Equal(3, triggered.Distinct().Count());

        long Count(string recurringJobId, string state)
        {
            using var c = new NpgsqlConnection(Database.ConnectionString);
            c.Open();
            using var command = new NpgsqlCommand(JobsOf(recurringJobId, "count(*)") + $" and exists (select 1 from hangfire.job j where j.id = p.jobid and j.statename = '{state}')", c);
            return (long)command.ExecuteScalar()!;
        }
    }

    [Fact]
    public async Task Health_IsNotReady_WhenPostgresIsUnreachable()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = 9, Timeout = 1 };
        await using var host = new ApplicationHost(Database, settings: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = builder.ConnectionString });
        var check = ActivatorUtilities.CreateInstance<HangfireStorageHealthCheck>(host.Services);

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.DoesNotContain("Password", result.Description, StringComparison.OrdinalIgnoreCase);
    }

    private static string JobsOf(string recurringJobId, string select) =>
        $"select {select} from hangfire.jobparameter p where p.name = 'RecurringJobId' and p.value = '\"{recurringJobId}\"'";

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
