using Monolith.Application;
using Monolith.Infrastructure;
using Monolith.Web.Common;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
builder.Services.AddWeb(builder.Environment);

var app = builder.Build();

if (Cli.IsCommand(args))
{
    return await Cli.RunAsync(args, app.Services);
}

try
{
    await StartupTasks.RunAsync(app.Services, app.Environment, app.Lifetime.ApplicationStopping);
}
catch (Exception ex) when (StartupTasks.ConfigurationFailures(ex) is { Count: > 0 } failures)
{
    // A wrong or missing setting stops the app with a message naming the setting.
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", failures)}");
    return 2;
}

app.UseWeb();
await app.StartAsync();
// Last thing printed at start-up: where the app listens and, in Development, how to sign in.
StartupTasks.LogReady(app);
await app.WaitForShutdownAsync();
return 0;

/// <summary>Entry point; public so the test host (WebApplicationFactory) can find it.</summary>
public partial class Program;
