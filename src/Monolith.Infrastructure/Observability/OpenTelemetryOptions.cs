using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Observability;

/// <summary>Section <c>OpenTelemetry</c> (env <c>OpenTelemetry__…</c>). Off by default: nothing is exported until enabled.</summary>
public sealed class OpenTelemetryOptions
{
    public const string Section = "OpenTelemetry";

    public bool Enabled { get; set; }

    /// <summary>The collector's OTLP base address; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended for HTTP.</summary>
    public string Endpoint { get; set; } = "http://127.0.0.1:4318";

    /// <summary><c>HttpProtobuf</c> (default, port 4318) or <c>Grpc</c> (port 4317).</summary>
    public string Protocol { get; set; } = "HttpProtobuf";

    /// <summary>Extra OTLP headers, <c>key=value,key2=value2</c> (e.g. a collector's API key). Never logged.</summary>
    public string? Headers { get; set; }

    public string ServiceName { get; set; } = "monolith";

    /// <summary>How often metrics are exported and the span batch is flushed.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal bool IsGrpc => string.Equals(Protocol, "Grpc", StringComparison.OrdinalIgnoreCase);
}

internal sealed class OpenTelemetryOptionsValidator : IValidateOptions<OpenTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenTelemetryOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        List<string> failures = [];
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            failures.Add("OpenTelemetry:Endpoint (env OpenTelemetry__Endpoint) must be an absolute http(s) URL.");
        }

        if (!string.Equals(options.Protocol, "HttpProtobuf", StringComparison.OrdinalIgnoreCase) && !options.IsGrpc)
        {
            failures.Add("OpenTelemetry:Protocol (env OpenTelemetry__Protocol) must be HttpProtobuf or Grpc.");
        }

        if (options.ExportInterval < TimeSpan.FromMilliseconds(100) || options.ExportInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add("OpenTelemetry:ExportInterval (env OpenTelemetry__ExportInterval) must be between 00:00:00.100 and 00:10:00.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add("OpenTelemetry:ServiceName (env OpenTelemetry__ServiceName) must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
