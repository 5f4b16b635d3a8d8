using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Monolith.Infrastructure.Observability;

/// <summary>
/// Builds the OpenTelemetry tracer and meter providers (OTLP exporter) when <c>OpenTelemetry:Enabled</c>, and flushes
/// and disposes them on shutdown. The hosting/instrumentation packages are not available here, so spans and metrics
/// come from the runtime's own sources: ASP.NET Core, HttpClient, Npgsql, the runtime, and the app's
/// <see cref="MonolithTelemetry.Name"/> source and meter.
/// </summary>
internal sealed partial class OpenTelemetryExporter(IOptions<OpenTelemetryOptions> options, ILogger<OpenTelemetryExporter> logger)
    : IHostedService, IDisposable
{
    internal static readonly string[] ActivitySources = [MonolithTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    internal static readonly string[] Meters =
        [MonolithTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql"];

    private TracerProvider? tracerProvider;
    private MeterProvider? meterProvider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName);
        var interval = (int)settings.ExportInterval.TotalMilliseconds;
        tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(ActivitySources)
            .AddOtlpExporter(o =>
            {
                Configure(o, settings, "v1/traces");
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = interval;
            })
            .Build();
        meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, settings, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
            })
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider?.ForceFlush(2000);
        meterProvider?.ForceFlush(2000);
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Telemetry must never fail the host's shutdown: the SDK's meter provider can throw while meters of the same name
    /// (other hosts in one process, e.g. tests) complete concurrently. Such a failure is logged and swallowed.
    /// </summary>
    public void Dispose()
    {
        var tracer = Interlocked.Exchange(ref tracerProvider, null);
        var meter = Interlocked.Exchange(ref meterProvider, null);
        foreach (var provider in new IDisposable?[] { tracer, meter })
        {
            try
            {
                provider?.Dispose();
            }
            catch (Exception ex)
            {
                LogShutdownFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenTelemetry provider shutdown failed; telemetry may be incomplete.")]
    private static partial void LogShutdownFailed(ILogger logger, Exception exception);

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
