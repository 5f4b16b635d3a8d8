using System.Diagnostics;
using Monolith.TestSupport;

namespace Monolith.Benchmarks;

/// <summary>
/// <c>testdb [--classes N]</c>: what a test class pays for a clean database, four ways, on the tests' own PostgreSQL
/// (<see cref="PostgresCluster"/>: <c>MONOLITH_TEST_PG</c> or a throwaway fsync-off cluster) and SQLite files. Each
/// "class" builds an <see cref="ApplicationHost"/>, registers a user (Identity, organisation, membership, outbox rows)
/// and reads it back, then:
/// <list type="bullet">
/// <item><c>pg-clone</c> (default fixture): CREATE DATABASE … TEMPLATE (migrated once) before, DROP … WITH (FORCE) after;</item>
/// <item><c>pg-respawn</c>: one migrated database for every class, emptied by Respawn after each;</item>
/// <item><c>sqlite-migrate</c> (default fixture): a new file migrated by EF before, deleted after;</item>
/// <item><c>sqlite-respawn</c>: one migrated file for every class, emptied by Respawn after each.</item>
/// </list>
/// The four run round-robin (class i of every strategy before class i+1) so machine load falls on all alike; the
/// first round is a warm-up and not counted.
/// </summary>
internal static class TestDatabaseBenchmark
{
    private delegate Task ClassRun();

    public static async Task<int> RunAsync(string[] args)
    {
        var classes = args.Length > 1 && args[0] == "--classes" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40;

        var sharedPostgres = new PostgresTestDatabase();
        await sharedPostgres.InitializeAsync();
        var postgresReset = new DatabaseReset(sharedPostgres);
        var sharedSqlite = new SqliteTestDatabase();
        await sharedSqlite.InitializeAsync();
        var sqliteReset = new DatabaseReset(sharedSqlite);

        var strategies = new (string Name, ClassRun Run)[]
        {
            ("pg-clone", () => FreshAsync(new PostgresTestDatabase())),
            ("pg-respawn", () => ResetAsync(sharedPostgres, postgresReset)),
            ("sqlite-migrate", () => FreshAsync(new SqliteTestDatabase())),
            ("sqlite-respawn", () => ResetAsync(sharedSqlite, sqliteReset)),
        };
        var timings = strategies.ToDictionary(s => s.Name, _ => new List<double>());
        for (var round = 0; round <= classes; round++)
        {
            foreach (var (name, run) in strategies)
            {
                var clock = Stopwatch.StartNew();
                await run();
                if (round > 0)
                {
                    timings[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        await sharedPostgres.DisposeAsync();
        await sharedSqlite.DisposeAsync();

        Console.WriteLine($"testdb: {classes} classes per strategy (after 1 warm-up round), round-robin; ms per class");
        Console.WriteLine($"{"strategy",-16} {"median",8} {"mean",8} {"p90",8} {"total s",8}  vs pg-clone (median)");
        var baseline = Median(timings["pg-clone"]);
        foreach (var (name, values) in timings)
        {
            var sorted = values.Order().ToList();
            Console.WriteLine($"{name,-16} {Median(sorted),8:F1} {sorted.Average(),8:F1} {sorted[(int)(0.9 * (sorted.Count - 1))],8:F1} {sorted.Sum() / 1000,8:F2}  {Median(sorted) / baseline,5:F2}x");
        }

        return 0;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task FreshAsync(TestDatabase database)
    {
        await database.InitializeAsync();
        try
        {
            await WorkloadAsync(database);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task ResetAsync(TestDatabase database, DatabaseReset reset)
    {
        try
        {
            await WorkloadAsync(database);
        }
        finally
        {
            await reset.ResetAsync();
        }
    }

    private static async Task WorkloadAsync(TestDatabase database)
    {
        await using var host = new ApplicationHost(database);
        var user = await host.RegisterAsync();
        // Exactly this class's organisation: a reset (or a fresh database) left nothing of the class before.
        var organizations = await host.QueryDbAsync(db => Task.FromResult(db.Organizations.Select(o => o.Id).ToList()));
        if (organizations.Count != 1 || organizations[0] != user.PersonalOrganizationId)
        {
            throw new InvalidOperationException($"Expected only this class's organisation, found {organizations.Count}.");
        }
    }
}
