using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Monolith.TestSupport.Storm;

/// <summary>
/// The real app (<c>dotnet Monolith.Web.dll</c> from this program's output, like <see cref="AppProcess"/>) serving on
/// Kestrel at 127.0.0.1 until it is stopped or killed. Its console output is drained (kept in a bounded tail for
/// failure messages) so a chatty log never blocks it.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private const int TailLines = 200;
    private readonly Queue<string> _tail = new();
    private readonly Process _process;
    private bool _disposed;

    private AppServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the app wrote (stdout and stderr), for failure messages.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>
    /// Starts the app with <paramref name="environment"/> on <paramref name="port"/> (a free one when null) and waits
    /// until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<AppServer> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null, TimeSpan? timeout = null)
    {
        var web = Path.Combine(AppContext.BaseDirectory, "Monolith.Web.dll");
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = new ProcessStartInfo("dotnet", $"\"{web}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Payments__InMemory__AllowOutsideDevelopment"] = "true"; // the simulator unless the caller says otherwise
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var server = new AppServer(Process.Start(start)!, address);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        // Generous: on a machine shared with parallel builds and test runs a cold start can take a minute or more.
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {server._process.ExitCode} during start-up:{Environment.NewLine}{server.Tail}");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"The app did not become ready at {address}:{Environment.NewLine}{server.Tail}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Peak resident set size of the process so far (<c>VmHWM</c> in /proc/&lt;pid&gt;/status), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("VmHWM not found.");
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, in-flight work dies with the process.</summary>
    public async Task KillAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (!_disposed)
        {
            _disposed = true;
            _process.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
