using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Monolith.TestSupport.Storm;

/// <summary>
/// A PostgreSQL cluster of its own (not the shared test server of <see cref="PostgresCluster"/>), for runs that stop
/// and restart the server (fault tests) or need durable settings (the storm benchmark). Same binaries and start-up
/// as <see cref="PostgresCluster"/>; removed on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly bool _asRoot;
    private readonly bool _durable;

    private ThrowawayPostgres(string bin, string root, int port, bool durable)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        _asRoot = Environment.UserName == "root";
        _durable = durable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Connection string to database <paramref name="database"/> (default <c>postgres</c>).</summary>
    public string ConnectionString(string database = "postgres", int maxPoolSize = 50) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size={maxPoolSize}";

    /// <summary>
    /// initdb + start. <paramref name="durable"/>: fsync and synchronous commit on (PostgreSQL's defaults, for
    /// benchmarks); otherwise fsync off like the shared test server.
    /// </summary>
    public static async Task<ThrowawayPostgres> StartAsync(bool durable = false)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("No PostgreSQL found under /usr/lib/postgresql (build/test.sh installs it).");
        }

        var root = Directory.CreateTempSubdirectory("monolith-pg-own-").FullName;
        var cluster = new ThrowawayPostgres(bin, root, FreePort(), durable);
        if (cluster._asRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {root}");
        }

        await cluster.PgAsync("initdb", $"-D {cluster._data} -U postgres -A trust {(durable ? string.Empty : "--no-sync ")}-E UTF8");
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>Starts the (stopped) server again on the same port and data directory.</summary>
    public Task StartServerAsync()
    {
        var settings = _durable ? "-c fsync=on -c synchronous_commit=on" : "-c fsync=off";
        return PgAsync("pg_ctl",
            $"-D {_data} -w -t 60 -l {_root}/log -o \"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} {settings} -c max_connections=200\" start");
    }

    /// <summary><c>pg_ctl stop -m immediate</c>: the server dies without a checkpoint, like a crash; recovery replays the WAL on start.</summary>
    public Task StopImmediateAsync() => PgAsync("pg_ctl", $"-D {_data} -m immediate stop");

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await PgAsync("pg_ctl", $"-D {_data} -m immediate stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task PgAsync(string tool, string arguments) =>
        _asRoot
            ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}")
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
