using System.Diagnostics;
using System.Globalization;
using Monolith.TestSupport.Storm;
using Npgsql;

namespace Monolith.Benchmarks;

/// <summary>
/// <c>storm [--events N] [--accounts N] [--concurrency N] [--duplicates F] [--reorder F] [--baseline-seconds N] [--warmup N] [--app-env KEY=VALUE]… [--app-connection-suffix ";K=V"] [--app-log]</c>:
/// a throwaway durable PostgreSQL, the real app (this build's configuration) on Kestrel with the Stripe adapter, a
/// Stripe-playing load generator, and in the same run against the same server a baseline of single-row durable
/// <c>INSERT … ON CONFLICT DO NOTHING</c> commits at the same concurrency. Prints throughput, latency, the ratio,
/// the app's peak RSS and the correctness check; exits 1 on any correctness violation. See docs/benchmarks.md.
/// </summary>
internal static class StormBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 6000);
        var accounts = Option(args, "--accounts", 500);
        var concurrency = Option(args, "--concurrency", 8);
        var duplicates = Option(args, "--duplicates", 0.2);
        var reorder = Option(args, "--reorder", 0.2);
        var baselineSeconds = Option(args, "--baseline-seconds", 10);
        var warmup = Option(args, "--warmup", 400);

        var storm = StripeStorm.Create(new StormOptions(accounts, Math.Max(2, events / accounts), duplicates, reorder));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storm: {storm.Accounts.Count} accounts, {storm.DistinctEvents} distinct events, {storm.Deliveries.Count} deliveries " +
            $"(duplicates {duplicates:P0}, reorder {reorder:P0}), concurrency {concurrency}, warm-up {warmup} deliveries"));

        await using var postgres = await ThrowawayPostgres.StartAsync(durable: true);
        await postgres.CreateDatabaseAsync("storm");
        var connectionString = postgres.ConnectionString("storm");
        Console.WriteLine($"postgres: throwaway cluster on 127.0.0.1:{postgres.Port}, fsync=on, synchronous_commit=on");

        // Webhooks never call the Stripe API; an unused port makes any call that did fail loudly instead of leaving the machine.
        var environment = StormDatabase.AppEnvironment(connectionString, $"http://127.0.0.1:{AppServer.FreePort()}");
        // --app-connection-suffix ";Key=Value": appended to the app's connection string, e.g. to compare Npgsql settings.
        if (Array.IndexOf(args, "--app-connection-suffix") is var at and >= 0 && at + 1 < args.Length)
        {
            environment["ConnectionStrings__Postgres"] = connectionString + args[at + 1];
        }

        // --app-env KEY=VALUE (repeatable): extra settings for the app, e.g. to compare a setting's cost.
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--app-env" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                environment[key] = value;
            }
        }

        await using var app = await AppServer.StartAsync(environment);
        var config = typeof(StormBenchmark).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration;
        Console.WriteLine($"app: pid {app.ProcessId} at {app.BaseAddress} ({config} build), Payments:Provider=Stripe");
        await StormDatabase.SeedAsync(connectionString, storm.Accounts);

        var before = await BaselineAsync(connectionString, concurrency, TimeSpan.FromSeconds(baselineSeconds), "baseline_before");

        using var sender = new StormSender(app.BaseAddress, StormDatabase.WebhookSecret, concurrency);
        var warm = Math.Min(warmup, storm.Deliveries.Count / 10);
        await sender.SendAsync(storm.Deliveries.Take(warm).ToList(), TimeSpan.FromMinutes(2));
        var cpuBefore = app.CpuTime();
        var commitsBefore = await CommitsAsync(connectionString);
        var run = await sender.SendAsync(storm.Deliveries.Skip(warm).ToList(), TimeSpan.FromMinutes(10));
        var cpu = app.CpuTime() - cpuBefore;
        var commits = await CommitsAsync(connectionString) - commitsBefore;
        var outboxWatch = Stopwatch.StartNew();
        var applied = await StormDatabase.WaitForInboxAsync(connectionString, TimeSpan.FromMinutes(5));
        var appliedAfter = outboxWatch.Elapsed;
        var drained = applied && await StormDatabase.WaitForOutboxAsync(connectionString, TimeSpan.FromMinutes(2));
        outboxWatch.Stop();
        var appliedPerSecond = run.Delivered / (run.Elapsed + appliedAfter).TotalSeconds;

        var after = await BaselineAsync(connectionString, concurrency, TimeSpan.FromSeconds(baselineSeconds), "baseline_after");
        var rss = app.PeakResidentBytes();
        var violations = await StormDatabase.VerifyAsync(connectionString, storm);
        if (!drained)
        {
            violations = [.. violations, applied ? "outbox not drained within 2 minutes" : "inbox not applied within 5 minutes"];
        }

        var baseline = (before + after) / 2;
        var perSecond = run.DeliveredPerSecond;
        var ratio = perSecond / baseline;
        var p50 = run.Percentile(50);
        var p95 = run.Percentile(95);
        var p99 = run.Percentile(99);
        var rssMb = rss / (1024.0 * 1024.0);
        var report = string.Create(CultureInfo.InvariantCulture, $"""

            measured deliveries   {run.Delivered} in {run.Elapsed.TotalSeconds:F2} s ({run.Requests} requests, {run.Rejected} non-2xx, {run.Unreachable} unanswered, all retried)
            events/s              {perSecond:F0} (deliveries acknowledged per second, duplicates included)
            latency per request   p50 {p50:F2} ms   p95 {p95:F2} ms   p99 {p99:F2} ms   max {run.Latencies[^1]:F2} ms
            app CPU per delivery  {cpu.TotalMilliseconds / run.Delivered:F2} ms (user+system, /proc/<pid>/stat; includes the applier and outbox workers running meanwhile)
            db commits/delivery   {(double)commits / run.Delivered:F2} (pg_stat_database.xact_commit, all sessions)
            baseline commits/s    {baseline:F0} (before {before:F0}, after {after:F0}; INSERT … ON CONFLICT DO NOTHING, autocommit, {concurrency} connections)
            ratio                 {ratio:F2} (events/s ÷ baseline commits/s)
            app peak RSS          {rssMb:F0} MB (VmHWM)
            inbox applied         {(applied ? "yes" : "NO")} ({appliedAfter.TotalSeconds:F1} s after the last acknowledgement; end to end {appliedPerSecond:F0} deliveries/s from the first request to the last applied)
            outbox drained        {(drained ? "yes" : "NO")} ({outboxWatch.Elapsed.TotalSeconds:F1} s after the last acknowledgement)
            correctness           {(violations.Count == 0 ? "0 violations" : $"{violations.Count} VIOLATIONS")}

            targets (concurrency 8): ratio >= 0.5 {Verdict(ratio >= 0.5)}, p99 <= 25 ms {Verdict(p99 <= 25)}, RSS <= 400 MB {Verdict(rssMb <= 400)}, 0 violations {Verdict(violations.Count == 0)}
            """);
        Console.WriteLine(report);
        if (args.Contains("--app-log"))
        {
            Console.WriteLine($"app log (last lines):{Environment.NewLine}{app.Tail}");
        }

        foreach (var violation in violations.Take(50))
        {
            Console.WriteLine($"  violation: {violation}");
        }

        return violations.Count == 0 ? 0 : 1;
    }

    /// <summary>Durable single-row commits per second: each of <paramref name="concurrency"/> connections inserts new ids in autocommit mode.</summary>
    private static async Task<double> BaselineAsync(string connectionString, int concurrency, TimeSpan duration, string table)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE TABLE {table} (id bigint PRIMARY KEY)", connection);
            await create.ExecuteNonQueryAsync();
        }

        // Unpooled: each worker's backend exits at the end, so its statistics are flushed before the storm is measured.
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        long next = 0;
        long commits = 0;
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ($1) ON CONFLICT DO NOTHING", connection);
            var id = new NpgsqlParameter<long> { TypedValue = 0 };
            insert.Parameters.Add(id);
            await insert.PrepareAsync();
            while (!stop.IsCancellationRequested)
            {
                id.TypedValue = Interlocked.Increment(ref next);
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref commits);
            }
        })).ToList();
        stop.CancelAfter(duration);
        await Task.WhenAll(workers);
        watch.Stop();
        return commits / watch.Elapsed.TotalSeconds;
    }

    private static async Task<long> CommitsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_force_next_flush(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static T Option<T>(string[] args, string name, T fallback)
        where T : IParsable<T>
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? T.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
