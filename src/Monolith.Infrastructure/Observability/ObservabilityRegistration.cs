using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Telemetry;

namespace Monolith.Infrastructure.Observability;

internal static class ObservabilityRegistration
{
    /// <summary>The app's metrics (always recorded, cheap when nobody listens) and the OTLP export (off by default).</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton<MonolithMetrics>();
        services.AddOptions<OpenTelemetryOptions>().Bind(configuration.GetSection(OpenTelemetryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenTelemetryOptions>, OpenTelemetryOptionsValidator>();
        services.AddHostedService<OpenTelemetryExporter>();
        return services;
    }
}
