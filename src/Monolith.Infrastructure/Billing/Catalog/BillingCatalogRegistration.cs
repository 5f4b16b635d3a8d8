using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;

namespace Monolith.Infrastructure.Billing.Catalog;

public static class BillingCatalogRegistration
{
    /// <summary>
    /// Binds section <c>Billing</c>, validates it at start-up (a wrong setting stops the app naming it) and exposes the
    /// domain <see cref="PlanCatalog"/> and <see cref="AccessPolicy"/> as singletons; <see cref="CatalogMirror"/> copies the
    /// catalogue into the <c>products</c> and <c>prices</c> tables at start-up.
    /// </summary>
    public static IServiceCollection AddBillingCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var (catalog, problems) = BillingCatalogBuilder.Build(sp.GetRequiredService<IOptions<BillingOptions>>().Value);
            return catalog ?? throw new OptionsValidationException(BillingOptions.Section, typeof(BillingOptions), problems);
        });
        services.AddSingleton(sp => sp.GetRequiredService<BillingCatalog>().Plans);
        services.AddSingleton(sp => sp.GetRequiredService<BillingCatalog>().AccessPolicy);
        services.AddSingleton<CatalogCopy>();
        services.AddScoped<CatalogMirror>();
        return services;
    }
}
