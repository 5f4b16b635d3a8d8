using System.CommandLine;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Web.Common;

/// <summary>
/// Operations commands, run as <c>dotnet run --project src/Monolith.Web -- &lt;command&gt;</c> with the app's own
/// configuration: <c>migrate</c>, <c>doctor</c>. Deployments may use an EF migrations bundle or an idempotent script instead of
/// <c>migrate</c> (docs/migrations.md).
/// </summary>
internal static class Cli
{
    public static readonly string[] Commands = ["migrate", "doctor"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services)
    {
        var root = new RootCommand("Monolith operations");

        var migrate = new Command("migrate", "Apply pending database migrations for the configured provider.");
        migrate.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            if (report.AdoptedLegacyHistory)
            {
                Console.WriteLine("Carried the legacy schema history (V0001–V0007) onto the EF Core migrations history.");
            }

            Console.WriteLine(report.Applied.Count == 0
                ? "Database is up to date; nothing to apply."
                : $"Applied: {string.Join(", ", report.Applied)}");
            return 0;
        });

        var doctor = new Command("doctor", "Check configuration, database, migrations and the payment provider (reachable; catalogue prices known and matching); exit 1 listing any problem.");
        doctor.SetAction(async (_, ct) => await DoctorAsync(services, ct));

        root.Subcommands.Add(migrate);
        root.Subcommands.Add(doctor);
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> DoctorAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await using var scope = services.CreateAsyncScope();
        DatabaseOptions? database = null;
        try
        {
            database = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            Console.WriteLine($"ok   configuration: Database:Provider = {database.ProviderKind}");
        }
        catch (OptionsValidationException ex)
        {
            problems.AddRange(ex.Failures);
        }

        if (database is not null)
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Database.CanConnectAsync(cancellationToken))
            {
                Console.WriteLine("ok   database reachable");
                var pending = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().PendingAsync(cancellationToken);
                if (pending.Count == 0)
                {
                    Console.WriteLine("ok   migrations applied");
                }
                else
                {
                    problems.Add($"{pending.Count} pending migration(s): {string.Join(", ", pending)}; run 'migrate'.");
                }
            }
            else
            {
                problems.Add($"The {database.ProviderKind} database cannot be reached with the configured connection string.");
            }
        }

        try
        {
            foreach (var finding in await scope.ServiceProvider.GetRequiredService<Infrastructure.Billing.Payments.IPaymentsDoctor>().CheckAsync(cancellationToken))
            {
                if (finding.Ok)
                {
                    Console.WriteLine($"ok   {finding.Message}");
                }
                else
                {
                    problems.Add(finding.Message);
                }
            }
        }
        catch (Exception ex) when (StartupTasks.ConfigurationFailures(ex) is { Count: > 0 } failures)
        {
            problems.AddRange(failures);
        }

        foreach (var problem in problems)
        {
            Console.WriteLine($"FAIL {problem}");
        }

        Console.WriteLine(problems.Count == 0 ? "doctor: all checks passed" : $"doctor: {problems.Count} problem(s)");
        return problems.Count == 0 ? 0 : 1;
    }
}
