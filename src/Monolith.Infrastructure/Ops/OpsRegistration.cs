using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Ops.Common;
using Monolith.Application.Ops.Deliveries;
using Monolith.Application.Ops.Webhooks;

namespace Monolith.Infrastructure.Ops;

internal static class OpsRegistration
{
    /// <summary>The ports the ops dashboard's use cases read through (deliveries, users, stored webhook bodies).</summary>
    public static IServiceCollection AddOpsInfrastructure(this IServiceCollection services)
    {
        services.AddScoped<IOpsDeliveries, EfOpsDeliveries>();
        services.AddScoped<IOpsUsers, EfOpsUsers>();
        services.AddSingleton<IStoredWebhookParser, StoredWebhookParser>();
        services.AddSingleton<IInterceptor, OpsWakeupSignal>();
        return services;
    }
}
