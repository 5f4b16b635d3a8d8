using System.Diagnostics;

namespace Monolith.Web.Tests.Common;

/// <summary>A wrong or missing setting stops the real app process with a message naming the setting.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("Oracle", null, "Database:Provider")]
    [InlineData("Postgres", null, "ConnectionStrings:Postgres")]
    [InlineData("Sqlite", "EURO", "Billing:Plans:2:Prices:0:Currency")]
    public async Task Start_WithBadSetting_ExitsNamingTheSetting(string provider, string? currency, string expected)
    {
        var web = Path.Combine(AppContext.BaseDirectory, "Monolith.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{web}\" --urls http://127.0.0.1:0")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = provider;
        start.Environment["ConnectionStrings__Postgres"] = string.Empty;
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.db")}";
        if (currency is not null)
        {
            start.Environment["Billing__Plans__2__Prices__0__Currency"] = currency;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, await stderr + await stdout, StringComparison.Ordinal);
    }
}
