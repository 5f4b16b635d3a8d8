using Monolith.TestSupport;

namespace Monolith.Web.Tests.Common;

/// <summary>The operations commands, run as the real app process against a fresh PostgreSQL database.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Doctor_BeforeAndAfterMigrate_ReportsPendingThenAllClear()
    {
        var name = $"cli_{Guid.NewGuid():N}";
        var connectionString = await PostgresTestDatabase.CreateEmptyAsync(name);
        try
        {
            var before = await RunAsync("doctor", connectionString);
            var migrate = await RunAsync("migrate", connectionString);
            var after = await RunAsync("doctor", connectionString);

            Assert.Equal(1, before.ExitCode);
            Assert.Matches(@"\d+ pending migration\(s\): 20261207132552_Baseline, ", before.Output);
            Assert.Equal(0, migrate.ExitCode);
            Assert.Contains("Applied: 20261207132552_Baseline", migrate.Output, StringComparison.Ordinal);
            Assert.Equal(0, after.ExitCode);
            Assert.Contains("doctor: all checks passed", after.Output, StringComparison.Ordinal);
            Assert.Contains("ok   payments: in-memory simulator", after.Output, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresTestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWithPendingMigrations_RefusesNamingThemAndTheCommand()
    {
        var name = $"cli_{Guid.NewGuid():N}";
        var connectionString = await PostgresTestDatabase.CreateEmptyAsync(name);
        try
        {
            var start = await RunAsync("", connectionString);

            Assert.NotEqual(0, start.ExitCode);
            Assert.Matches(@"The database has \d+ pending migration\(s\) \(20261207132552_Baseline, ", start.Output);
            Assert.Contains("-- migrate", start.Output, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresTestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task Doctor_UnreachableDatabase_ExitsOneWithAReadableProblem()
    {
        var result = await RunAsync("doctor", "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot be reached", result.Output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string command, string connectionString) =>
        AppProcess.RunAsync(command, new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = connectionString,
        });
}
