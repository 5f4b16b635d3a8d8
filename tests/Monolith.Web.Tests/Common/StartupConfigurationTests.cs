using Monolith.TestSupport;

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
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["ConnectionStrings__Postgres"] = string.Empty,
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
        };
        if (currency is not null)
        {
            environment["Billing__Plans__2__Prices__0__Currency"] = currency;
        }

        var (exitCode, output) = await AppProcess.RunAsync("--urls http://127.0.0.1:0", environment);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("InMemory")]
    public async Task Start_SimulatorOutsideDevelopmentWithoutTheSetting_ExitsNamingTheSetting(string? provider)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Payments__InMemory__AllowOutsideDevelopment"] = "false",
        };
        if (provider is not null)
        {
            environment["Payments__Provider"] = provider;
        }

        var (exitCode, output) = await AppProcess.RunAsync("--urls http://127.0.0.1:0", environment);

        Assert.Equal(2, exitCode);
        Assert.Contains("Payments:InMemory:AllowOutsideDevelopment", output, StringComparison.Ordinal);
        Assert.Contains("'Production' environment", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_SimulatorOutsideDevelopment_ReportsTheSettingEitherWay()
    {
        var refused = await AppProcess.RunAsync("doctor", new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Payments__InMemory__AllowOutsideDevelopment"] = "false",
        });
        var allowed = await AppProcess.RunAsync("doctor", new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
        });

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("FAIL Payments:Provider (env Payments__Provider) is 'InMemory'", refused.Output, StringComparison.Ordinal);
        Assert.Contains("Payments:InMemory:AllowOutsideDevelopment", refused.Output, StringComparison.Ordinal);
        Assert.Contains("ok   payments: in-memory simulator (local; no external provider to reach) — allowed outside Development by " +
                        "Payments:InMemory:AllowOutsideDevelopment", allowed.Output, StringComparison.Ordinal);
    }
}
