using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Entitlements;

namespace Monolith.Infrastructure.Billing.Entitlements;

internal static class EntitlementsInfrastructureRegistration
{
    /// <summary>The entitlement hot path over the database, with the cache dropped for an account when its changes commit.</summary>
    public static IServiceCollection AddBillingEntitlementsInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBillingEntitlements();
        services.AddScoped<ISubscriptionAccessReader, EfSubscriptionAccessReader>();
        services.AddSingleton<EntitlementCacheInvalidator>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<EntitlementCacheInvalidator>());
        services.AddOptions<EntitlementOptions>().Bind(configuration.GetSection("Billing")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntitlementOptions>, EntitlementOptionsValidator>();
        return services;
    }
}
