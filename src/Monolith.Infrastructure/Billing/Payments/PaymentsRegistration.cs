using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.PaymentMethods;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Billing.Payments.Stripe;

namespace Monolith.Infrastructure.Billing.Payments;

public static class PaymentsRegistration
{
    /// <summary>
    /// Binds and validates section <c>Payments</c> at start-up and registers the selected <see cref="IPaymentsPort"/>:
    /// the in-memory simulator (default, with its state, test clock and webhook delivery) or Stripe.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentsOptions>()
            .Bind(configuration.GetSection(PaymentsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, PaymentsOptionsValidator>();
        services.AddMetrics();
        services.TryAddSingleton<Application.Common.Telemetry.MonolithMetrics>();
        services.AddSingleton<IPaymentsPort>(sp => new InstrumentedPaymentsPort(
            sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.IsSimulator
                ? ActivatorUtilities.CreateInstance<InMemoryPaymentsProvider>(sp)
                : ActivatorUtilities.CreateInstance<StripePaymentsPort>(sp, sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.Stripe),
            sp.GetRequiredService<Application.Common.Telemetry.MonolithMetrics>()));

        services.AddSingleton<IPaymentsDoctor>(sp => sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.IsSimulator
            ? ActivatorUtilities.CreateInstance<InMemoryPaymentsDoctor>(sp)
            : ActivatorUtilities.CreateInstance<StripePaymentsDoctor>(sp));

        // A port of its own for a provider feature the payments port does not model (docs/stripe.md, "Escape hatch").
        services.AddSingleton<IPaymentMethods>(sp => sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.IsSimulator
            ? ActivatorUtilities.CreateInstance<SimulatorPaymentMethods>(sp)
            : ActivatorUtilities.CreateInstance<StripePaymentMethods>(sp));

        services.AddStripeSdk();

        var provider = configuration.GetSection(PaymentsOptions.Section)[nameof(PaymentsOptions.Provider)];
        if (provider is not null && !string.Equals(provider.Trim(), nameof(PaymentsProviderKind.InMemory), StringComparison.OrdinalIgnoreCase))
        {
            return services;
        }

        services.AddHttpClient(SimulatorWebhookDispatcher.HttpClientName)
            .AddStandardResilienceHandler(SimulatorWebhookDispatcher.ConfigureResilience);
        services.AddSingleton(sp => new SimulatorWebhookSigner(sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.InMemory.WebhookSecret));
        services.AddSingleton(sp => new SimulatorChaos(sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.InMemory.Chaos));
        services.AddSingleton<SimulatorWebhookDispatcher>();
        services.AddSingleton<ISimulatorEventSink>(sp => sp.GetRequiredService<SimulatorWebhookDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<SimulatorWebhookDispatcher>());
        services.AddSingleton<SimulatorState>();
        services.AddSingleton<SimulatorClock>();
        return services;
    }
}
