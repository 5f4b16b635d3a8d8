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
}
