using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Monolith.TestSupport;

/// <summary>
/// The PostgreSQL server tests use. <c>build/test.sh</c> starts a throwaway cluster and exports
/// <c>MONOLITH_TEST_PG</c>; when it is absent (a plain <c>dotnet test</c>), this process starts its own throwaway
/// cluster with Debian's PostgreSQL binaries and removes it on exit.
/// </summary>
public static class PostgresCluster
{
    public const string EnvironmentVariable = "MONOLITH_TEST_PG";

    private static readonly Lazy<string> Server = new(StartOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string to the server's <c>postgres</c> database (for CREATE/DROP DATABASE).</summary>
    public static string AdminConnectionString => Server.Value;

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    private static string StartOrReuse()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL found. Run the tests with build/test.sh (it installs and starts one), or set {EnvironmentVariable}.");
        }

        var root = Directory.CreateTempSubdirectory("monolith-pg-").FullName;
        var data = Path.Combine(root, "data");
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", $"-R postgres:postgres {root}");
        }

        RunPg(bin, asRoot, "initdb", $"-D {data} -U postgres -A trust --no-sync -E UTF8");
        RunPg(bin, asRoot, "pg_ctl", $"-D {data} -w -l {root}/log -o \"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=300\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunPg(bin, asRoot, "pg_ctl", $"-D {data} -m immediate stop", throwOnError: false);
            Directory.Delete(root, recursive: true);
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    private static void RunPg(string bin, bool asRoot, string tool, string arguments, bool throwOnError = true) =>
        Run(asRoot ? "runuser" : Path.Combine(bin, tool), asRoot ? $"-u postgres -- {Path.Combine(bin, tool)} {arguments}" : arguments, throwOnError);

    private static void Run(string file, string arguments, bool throwOnError = true)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {stderr.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
