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

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A fresh SQLite file in the temp folder, for a process that must get past the database settings.</summary>
    public static string ThrowawaySqlite() => $"Data Source={Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.db")}";
}
