using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Monolith.Application.Billing.Entitlements;

public static class EntitlementsRegistration
{
    /// <summary>
    /// Registers <see cref="IEntitlements"/> over the singleton <see cref="EntitlementCache"/>, loading misses through
    /// the domain access policy from an <see cref="ISubscriptionAccessReader"/> (which the caller registers), the
    /// <c>PlanCatalog</c> and the <c>AccessPolicy</c> singletons. Scoped, so the reader may use the request's DbContext;
    /// the cache itself is shared by the whole process.
    /// </summary>
    public static IServiceCollection AddBillingEntitlements(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EntitlementCache>();
        services.TryAddScoped<IEntitlementSnapshotSource, SubscriptionAccessSnapshotSource>();
        services.TryAddScoped<IEntitlements, CachedEntitlements>();
        return services;
    }
}
