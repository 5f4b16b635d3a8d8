using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monolith.TestSupport;

/// <summary>
/// The real app (Program) on a test database. <see cref="StartKestrel"/> serves it on a real 127.0.0.1 port for the
/// browser; otherwise requests go through the in-memory test server.
/// </summary>
public sealed class MonolithWebFactory(
    TestDatabase database, string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>Where the default (pickup) email sender writes in this host, unless a test sets Email:Pickup:Directory.</summary>
    private readonly string _mailFolder = Path.Combine(Path.GetTempPath(), $"monolith-mail-{Guid.NewGuid():N}");

    public TestDatabase Database { get; } = database;

    /// <summary>Service replacements applied after the app's own registrations (e.g. a decorating payments port).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Serve on Kestrel at 127.0.0.1 (a random free port); returns the base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        return ClientOptions.BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting($"ConnectionStrings:{Database.Provider}", Database.ConnectionString);
        builder.UseSetting("Email:Pickup:Directory", _mailFolder);
        // No recurring jobs firing on their own schedule in the middle of unrelated tests (a run crossing a cron mark
        // behaved differently): tests of the jobs and the ops jobs page turn them on with Jobs:Enabled=true.
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Outbox:Handover:Enabled", "false");
        // Hosts in another environment (Production for the cookie/HSTS tests) still run the simulator unless a test says otherwise.
        builder.UseSetting("Payments:InMemory:AllowOutsideDevelopment", "true");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (TestServices is { } testServices)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_mailFolder))
        {
            Directory.Delete(_mailFolder, recursive: true);
        }
    }
}
