using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Interfaces;
using Monolith.Infrastructure.Billing;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Entitlements;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.Infrastructure.Billing.Webhooks;
using Monolith.Infrastructure.Email;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Observability;
using Monolith.Infrastructure.Ops;
using Monolith.Infrastructure.Jobs;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o =>
            {
                o.SqliteConnectionString = configuration.GetConnectionString("Sqlite") ?? DefaultSqlite(environment);
                o.PostgresConnectionString = PostgresConnectionDefaults.Apply(configuration.GetConnectionString("Postgres"));
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddBillingCatalog(configuration);
        services.AddBillingEntitlementsInfrastructure(configuration);
        services.AddOptions<Application.Billing.Checkout.CheckoutOptions>()
            .Bind(configuration.GetSection(Application.Billing.Checkout.CheckoutOptions.Section))
            .Validate(o => o.TrialDays is >= 0 and <= 365, "Billing:Checkout:TrialDays (env Billing__Checkout__TrialDays) must be between 0 and 365.")
            .ValidateOnStart();
        services.AddOptions<Application.Billing.Payments.RefundOptions>()
            .Bind(configuration.GetSection(Application.Billing.Payments.RefundOptions.Section))
            .Validate(o => o.OwnerWindowDays is >= 0 and <= 365, "Billing:Refunds:OwnerWindowDays (env Billing__Refunds__OwnerWindowDays) must be between 0 and 365.")
            .ValidateOnStart();
        services.AddObservability(configuration);
        services.AddPayments(configuration);
        services.AddOutbox(configuration);
        services.AddWebhookInbox(configuration);
        services.AddJobs(configuration);
        services.AddEmail(configuration);

        services.AddDbContext<AppDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            ConfigureProvider(options, database);
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<IBillingFactsStore, EfBillingFactsStore>();
        services.AddOpsInfrastructure();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<ApplicationRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddDataProtection().SetApplicationName("Monolith");
        services.AddScoped<IIdentityService, IdentityService>();
        services.AddScoped<IdentitySeeder>();

        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        return services;
    }

    public static void ConfigureProvider(DbContextOptionsBuilder options, DatabaseOptions database)
    {
        if (database.ProviderKind == DatabaseProvider.Postgres)
        {
            // Single queries on purpose: an aggregate and its children (a payment's captures and refunds) load in one
            // consistent statement; the child collections are small, so the cartesian product stays small.
            options.UseNpgsql(database.PostgresConnectionString, o => o
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                .MigrationsAssembly(MigrationsAssembly(DatabaseProvider.Postgres)));
        }
        else
        {
            EnsureSqliteFolder(database.SqliteConnectionString!);
            options.UseSqlite(database.SqliteConnectionString, o => o
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                .MigrationsAssembly(MigrationsAssembly(DatabaseProvider.Sqlite)));
        }
    }

    /// <summary>Each provider's migrations live in an assembly of their own (docs/adr/0003-ef-core-migrations.md).</summary>
    public static string MigrationsAssembly(DatabaseProvider provider) => $"Monolith.Infrastructure.Migrations.{provider}";

    private static string DefaultSqlite(IHostEnvironment environment) =>
        $"Data Source={Path.Combine(environment.ContentRootPath, "App_Data", "monolith.db")}";

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
