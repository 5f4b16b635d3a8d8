using System.Diagnostics.Metrics;

namespace Monolith.Application.Billing.Usage.ReportUsage;

/// <summary>Counter <c>billing.usage.reports</c> on meter <c>Monolith.Billing</c>, tagged with provider and outcome.</summary>
public static class UsageReportingMetrics
{
    public const string MeterName = "Monolith.Billing";
    public const string CounterName = "billing.usage.reports";

    public const string Reported = "reported";
    public const string Failed = "failed";
    public const string NotMetering = "skipped_not_metering";
    public const string NoCustomer = "skipped_no_customer";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Reports = Meter.CreateCounter<long>(CounterName, description: "Usage events reported to the payment provider, by outcome.");

    internal static void Record(string provider, string outcome) =>
        Reports.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));
}
