using System.Diagnostics;

namespace Monolith.Application.Common.Telemetry;

/// <summary>
/// The app's own telemetry names: one <see cref="ActivitySource"/> for spans and one meter (see <see cref="MonolithMetrics"/>),
/// both called <see cref="Name"/>. Exported over OTLP only when <c>OpenTelemetry:Enabled</c> is true.
/// </summary>
public static class MonolithTelemetry
{
    public const string Name = "Monolith";

    public static readonly ActivitySource Activities = new(Name);
}
