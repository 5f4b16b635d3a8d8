using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Accounts.Organizations.RenameOrganization;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;
using Monolith.TestSupport;
using Monolith.TestSupport.Storm;
using Npgsql;

namespace Monolith.Benchmarks;

/// <summary>
/// <c>outbox [--latency-commits N] [--rate N] [--deliveries N] [--workers N] [--batch N]</c>: the outbox on a durable
/// throwaway PostgreSQL, with the real engine and background workers (Application + Infrastructure as the app wires them).
/// 1. Latency: <c>RenameOrganization</c> commands at a steady rate, one handler consuming <c>OrganizationRenamed</c>;
///    latency = handler start − the event's OccurredAt (raised inside the command, before SaveChanges and COMMIT, so it
///    is an upper bound of commit → handler start).
/// 2. Throughput: with the workers stopped, N pending deliveries are written in bulk (as a storm's commits leave them),
///    then the workers start and the time until the last one succeeds gives deliveries/s (claim + marker + handler +
///    completion, one transaction each).
/// Targets (issue #6): p50 ≤ 20 ms, p99 ≤ 200 ms, ≥ 2,000 deliveries/s.
/// </summary>
internal static class OutboxDeliveryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var latencyCommits = Arg(args, "--latency-commits", 1000);
        var rate = Arg(args, "--rate", 100);
        var deliveries = Arg(args, "--deliveries", 20000);
        var workers = Arg(args, "--workers", 2);
        var batch = Arg(args, "--batch", 20);

        await using var postgres = await ThrowawayPostgres.StartAsync(durable: true);
        await postgres.CreateDatabaseAsync("bench");
        var database = new ExistingPostgresDatabase(postgres.ConnectionString("bench"));
        await database.InitializeAsync();
        var probe = new BenchProbe();
        await using var host = new ApplicationHost(database, services =>
        {
            services.AddSingleton(probe);
            services.AddScoped<IOutboxHandler<OrganizationRenamed>, BenchHandler>();
        }, new Dictionary<string, string?>
        {
            ["Outbox:Workers:Concurrency"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:BatchSize"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs:Enabled"] = "false",
        });
        var background = host.Services.GetServices<IHostedService>().Where(s => s.GetType().Name is "OutboxBackgroundService" or "PostgresChangeListener").ToList();
        Console.WriteLine($"outbox: postgres 127.0.0.1:{postgres.Port} (fsync=on, synchronous_commit=on), workers {workers}, batch {batch}");

        // 1. Latency under a steady stream of commands.
        var user = await host.RegisterAsync();
        var organizations = new List<(Guid Id, int Version)>();
        for (var i = 0; i < 50; i++)
        {
            var created = await host.SendAsync(new CreateOrganizationCommand($"Bench {i}"), user.UserId);
            organizations.Add((created.Value.OrganizationId, 1));
        }

        foreach (var service in background)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var versions = await host.QueryDbAsync(db => db.Organizations.Where(o => o.Name.StartsWith("Bench ")).ToDictionaryAsync(o => o.Id, o => o.Version));
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < latencyCommits; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var org = organizations[i % organizations.Count].Id;
            var renamed = await host.SendAsync(new RenameOrganizationCommand(org, $"Bench {i % organizations.Count} r{i}", versions[org]), user.UserId);
            if (renamed.IsFailure)
            {
                throw new InvalidOperationException($"rename failed: {renamed.Error.Code}");
            }

            versions[org]++;
        }

        await WaitAsync(() => probe.Latencies.Count >= latencyCommits, TimeSpan.FromMinutes(2), "every rename to reach its handler");
        var latencies = probe.Latencies.Select(l => l.TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"latency commands     {latencyCommits} renames at {rate}/s, one handler");
        Console.WriteLine($"commit → handler     p50 {Percentile(latencies, 50):0.00} ms   p95 {Percentile(latencies, 95):0.00} ms   p99 {Percentile(latencies, 99):0.00} ms   max {latencies[^1]:0.00} ms");

        // 2. Throughput: a backlog of pending deliveries, drained by the workers.
        foreach (var service in background)
        {
            await service.StopAsync(CancellationToken.None);
        }

        probe.Reset();
        var sample = organizations[0].Id;
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString("bench")))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                WITH m AS (
                  INSERT INTO outbox_messages (id, type, payload, occurred_at, created_at, dispatched_at)
                  SELECT gen_random_uuid(), 'OrganizationRenamed',
                         json_build_object('organizationId', @org, 'oldName', 'a', 'newName', 'b', 'occurredAt', now())::text, now(), now(), now()
                  FROM generate_series(1, @n) RETURNING id)
                INSERT INTO outbox_deliveries (id, message_id, event_type, handler, state, attempts, next_attempt_at, created_at)
                SELECT gen_random_uuid(), m.id, 'OrganizationRenamed', @handler, 'Pending', 0, now(), now() FROM m
                """, connection);
            insert.Parameters.AddWithValue("org", sample);
            insert.Parameters.AddWithValue("n", deliveries);
            insert.Parameters.AddWithValue("handler", BenchHandler.HandlerName);
            await insert.ExecuteNonQueryAsync();
        }

        var drain = Stopwatch.StartNew();
        var restarted = new ApplicationHostWorkers(host);
        await restarted.StartAsync();
        await WaitAsync(() => probe.Handled >= deliveries, TimeSpan.FromMinutes(10), "the backlog to drain");
        var handled = drain.Elapsed;
        var succeeded = 0;
        await WaitAsync(() =>
        {
            succeeded = host.QueryDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM outbox_deliveries WHERE state = 'Succeeded' AND handler = {0}", BenchHandler.HandlerName).SingleAsync()).GetAwaiter().GetResult();
            return succeeded >= deliveries + latencyCommits;
        }, TimeSpan.FromMinutes(2), "every delivery to be marked succeeded");
        var total = drain.Elapsed;
        await restarted.StopAsync();

        Console.WriteLine($"throughput backlog   {deliveries} pending deliveries, drained in {total.TotalSeconds:0.00} s (handlers done at {handled.TotalSeconds:0.00} s)");
        Console.WriteLine($"deliveries/s         {deliveries / total.TotalSeconds:0}");
        Console.WriteLine($"exactly once         {(probe.Duplicates == 0 ? "yes" : $"NO: {probe.Duplicates} handler runs repeated")}");
        Console.WriteLine($"targets              p50 <= 20 ms {Verdict(Percentile(latencies, 50) <= 20)}, p99 <= 200 ms {Verdict(Percentile(latencies, 99) <= 200)}, >= 2000/s {Verdict(deliveries / total.TotalSeconds >= 2000)}");
        return probe.Duplicates == 0 ? 0 : 1;
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Starts a fresh set of the outbox's hosted services (a stopped BackgroundService cannot be restarted).</summary>
    private sealed class ApplicationHostWorkers(ApplicationHost host)
    {
        private readonly List<IHostedService> _services = [];

        public async Task StartAsync()
        {
            foreach (var type in host.Services.GetServices<IHostedService>().Where(s => s.GetType().Name is "OutboxBackgroundService").Select(s => s.GetType()))
            {
                var service = (IHostedService)ActivatorUtilities.CreateInstance(host.Services, type);
                _services.Add(service);
                await service.StartAsync(CancellationToken.None);
            }
        }

        public async Task StopAsync()
        {
            foreach (var service in _services)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }
}

internal sealed class BenchProbe
{
    private readonly ConcurrentDictionary<Guid, int> _runs = new();

    public ConcurrentQueue<TimeSpan> Latencies { get; } = new();

    public int Handled => _runs.Count;

    public int Duplicates => _runs.Values.Count(n => n > 1);

    public void Record(Guid messageId, TimeSpan latency)
    {
        _runs.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        Latencies.Enqueue(latency);
    }

    public void Reset()
    {
        _runs.Clear();
        Latencies.Clear();
    }
}

internal sealed class BenchHandler(BenchProbe probe, TimeProvider clock) : IOutboxHandler<OrganizationRenamed>
{
    public const string HandlerName = "bench.rename";

    public string Name => HandlerName;

    public Task<Result> HandleAsync(OrganizationRenamed e, OutboxContext ctx, CancellationToken ct)
    {
        probe.Record(ctx.MessageId, clock.GetUtcNow() - ctx.MessageOccurredAt);
        return Task.FromResult(Result.Success());
    }
}
