using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Telemetry;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Monolith.Infrastructure.Observability;

internal static class ObservabilityRegistration
{
    /// <summary>
    /// The app's metrics (always recorded, cheap when nobody listens) and, when <c>OpenTelemetry:Enabled</c>, the
    /// OpenTelemetry SDK through <c>AddOpenTelemetry()</c> (its hosted service starts, flushes and disposes the
    /// providers): ASP.NET Core, HttpClient, runtime and Npgsql instrumentation plus the app's own
    /// <see cref="MonolithTelemetry.Name"/> source and meter, exported over OTLP.
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton<MonolithMetrics>();
        var section = configuration.GetSection(OpenTelemetryOptions.Section);
        services.AddOptions<OpenTelemetryOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenTelemetryOptions>, OpenTelemetryOptionsValidator>();

        var settings = section.Get<OpenTelemetryOptions>() ?? new OpenTelemetryOptions();
        if (!settings.Enabled || new OpenTelemetryOptionsValidator().Validate(null, settings).Failed)
        {
            // Invalid settings fail at start through ValidateOnStart; nothing is exported while disabled.
            return services;
        }

        var interval = (int)settings.ExportInterval.TotalMilliseconds;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(MonolithTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o =>
                {
                    Configure(o, settings, "v1/traces");
                    o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = interval;
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(MonolithTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    Configure(o, settings, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                }));
        return services;
    }

    private static void Configure(OtlpExporterOptions exporter, OpenTelemetryOptions settings, string signalPath)
    {
        // A programmatic endpoint is used as given: HTTP needs the signal's path, gRPC the bare address.
        exporter.Protocol = settings.IsGrpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = settings.IsGrpc ? new Uri(settings.Endpoint) : new Uri(settings.Endpoint.TrimEnd('/') + "/" + signalPath);
        if (!string.IsNullOrWhiteSpace(settings.Headers))
        {
            exporter.Headers = settings.Headers;
        }
    }
}
