using System.Diagnostics;

namespace Monolith.TestSupport;

/// <summary>Runs the real app (<c>Monolith.Web.dll</c> from the test output) as its own process, as an operator would.</summary>
public static class AppProcess
{
    /// <summary>
    /// Starts <c>dotnet Monolith.Web.dll {arguments}</c> with <paramref name="environment"/> (Production unless given),
    /// waits for it to exit and returns its exit code with stdout and stderr together.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Starts the app like <see cref="RunAsync"/> but leaves it running: the returned handle collects its output line
    /// by line and stops (kills) the process when disposed.
    /// </summary>
    public static RunningApp Start(string arguments, IReadOnlyDictionary<string, string> environment)
    {
        return new RunningApp(Process.Start(StartInfo(arguments, environment))!);
    }

    private static ProcessStartInfo StartInfo(string arguments, IReadOnlyDictionary<string, string> environment)
    {
        var web = Path.Combine(AppContext.BaseDirectory, "Monolith.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{web}\" {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Payments__InMemory__AllowOutsideDevelopment"] = "true"; // the simulator unless the caller says otherwise
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>A fresh SQLite file in the temp folder, for a process that must get past the database settings.</summary>
    public static string ThrowawaySqlite() => $"Data Source={Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.db")}";
}

/// <summary>A running app process (see <see cref="AppProcess.Start"/>): its output so far, and a wait for a line.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    internal RunningApp(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Every line printed so far (stdout and stderr), in arrival order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>Waits until a printed line matches (or the process exits, or the timeout passes) and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100, CancellationToken.None);
        }

        throw new TimeoutException($"No matching line; the app printed:\n{string.Join('\n', Lines)}");
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
