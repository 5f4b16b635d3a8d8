using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Outbox;

namespace Monolith.Infrastructure.Outbox;

internal static class OutboxRegistration
{
    /// <summary>Handlers (scanned), options (validated at start-up), the commit wake-up, the engine, the workers, operator actions.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOutboxHandlers();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddSingleton(new OutboxHandlerCatalog(services));
        services.AddSingleton<OutboxHandlerRegistry>();
        services.AddSingleton<IOutboxHandlerNames>(sp => sp.GetRequiredService<OutboxHandlerRegistry>());
        services.AddSingleton<OutboxWakeup>();
        services.AddSingleton<OutboxCommitSignal>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<OutboxCommitSignal>());
        services.AddSingleton<OutboxEngine>();
        services.AddScoped<IOutboxOperations, OutboxOperations>();
        services.AddSingleton<OutboxHeartbeat>();
        services.AddHostedService<OutboxBackgroundService>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"]);

        // PostgreSQL: NOTIFY other instances on commit, and LISTEN for theirs (outbox wake-ups, entitlement cache drops).
        services.AddSingleton<PostgresNotifications>();
        services.AddSingleton<PostgresCommitNotifier>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<PostgresCommitNotifier>());
        services.AddSingleton<PostgresChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeListener>());
        return services;
    }
}
