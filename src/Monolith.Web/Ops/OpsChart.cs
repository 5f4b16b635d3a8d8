using System.Globalization;
using Monolith.Application.Ops.Overview.GetOpsOverview;

namespace Monolith.Web.Ops;

/// <summary>Geometry of the overview's throughput chart: grouped bars per hour, rendered as inline SVG by the page (no script).</summary>
internal sealed class OpsChart
{
    public const int Width = 720;
    public const int Height = 180;
    public const int PlotTop = 10;
    public const int PlotBottom = 150;
    private const int Left = 36;
    private const int Right = 8;

    public OpsChart(IReadOnlyList<HourlyThroughput> hours)
    {
        Max = Math.Max(1, hours.Select(h => Math.Max(h.WebhooksReceived, h.DeliveriesSucceeded)).DefaultIfEmpty(0).Max());
        var slot = (Width - Left - Right) / (double)Math.Max(1, hours.Count);
        var barWidth = Math.Max(1, (slot - 4) / 2);
        Bars = hours.SelectMany((h, i) =>
        {
            var x = Left + (i * slot) + 2;
            return new[]
            {
                Bar(x, barWidth, h.WebhooksReceived, "bar-webhooks", $"{h.Hour:HH}:00 UTC · {h.WebhooksReceived} webhook events"),
                Bar(x + barWidth, barWidth, h.DeliveriesSucceeded, "bar-deliveries", $"{h.Hour:HH}:00 UTC · {h.DeliveriesSucceeded} deliveries succeeded"),
            };
        }).ToList();
        Labels = hours.Select((h, i) => (Hour: h.Hour, Index: i))
            .Where(x => x.Index % 6 == 0 || x.Index == hours.Count - 1)
            .Select(x => new ChartLabel(F(Left + (x.Index * slot) + (slot / 2)), x.Hour.ToString("HH':00'", CultureInfo.InvariantCulture)))
            .ToList();
    }

    public int Max { get; }
    public IReadOnlyList<ChartBar> Bars { get; }
    public IReadOnlyList<ChartLabel> Labels { get; }
    public static string AxisX => F(Left);

    private ChartBar Bar(double x, double width, int value, string css, string title)
    {
        var height = value == 0 ? 0 : Math.Max(1, (PlotBottom - PlotTop) * value / (double)Max);
        return new ChartBar(F(x), F(PlotBottom - height), F(width), F(height), css, title);
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

internal sealed record ChartBar(string X, string Y, string Width, string Height, string CssClass, string Title);

internal sealed record ChartLabel(string X, string Text);
