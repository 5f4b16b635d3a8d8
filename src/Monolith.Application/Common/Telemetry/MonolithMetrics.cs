using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Monolith.Application.Common.Telemetry;

/// <summary>
/// Counters and histograms for the flows ops care about: webhooks (received / applied / duplicate / rejected), outbox
/// deliveries (lag from commit to handler start, successes, failures) and provider calls (latency, errors).
/// Created through <see cref="IMeterFactory"/>, so each host (and each test host) has its own meter instance.
/// Tags carry names and codes only, never ids, amounts or payloads.
/// </summary>
public sealed class MonolithMetrics
{
    private readonly Counter<long> webhooksReceived;
    private readonly Counter<long> webhooksApplied;
    private readonly Counter<long> webhooksDuplicate;
    private readonly Counter<long> webhooksRejected;
    private readonly Histogram<double> deliveryLag;
    private readonly Counter<long> deliveriesSucceeded;
    private readonly Counter<long> deliveryFailures;
    private readonly Histogram<double> providerCallDuration;
    private readonly Counter<long> providerCallErrors;

    public MonolithMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MonolithTelemetry.Name);
        webhooksReceived = meter.CreateCounter<long>("monolith.webhooks.received", "{event}", "Webhook requests for a configured provider.");
        webhooksApplied = meter.CreateCounter<long>("monolith.webhooks.applied", "{event}", "First deliveries of webhook events, tagged with the stored outcome (Applied, Parked, Ignored, Failed).");
        webhooksDuplicate = meter.CreateCounter<long>("monolith.webhooks.duplicate", "{event}", "Redelivered webhook events (already in the inbox).");
        webhooksRejected = meter.CreateCounter<long>("monolith.webhooks.rejected", "{event}", "Webhook requests refused (signature, size, shape).");
        deliveryLag = meter.CreateHistogram<double>("monolith.outbox.delivery.lag", "ms", "Time from the event's commit to its handler starting.");
        deliveriesSucceeded = meter.CreateCounter<long>("monolith.outbox.deliveries.succeeded", "{delivery}", "Outbox deliveries completed.");
        deliveryFailures = meter.CreateCounter<long>("monolith.outbox.delivery.failures", "{delivery}", "Outbox delivery attempts that failed (retry or dead).");
        providerCallDuration = meter.CreateHistogram<double>("monolith.provider.call.duration", "ms", "Payment provider API calls, including retries.");
        providerCallErrors = meter.CreateCounter<long>("monolith.provider.call.errors", "{call}", "Payment provider API calls that ended in an error.");
    }

    public void WebhookReceived(string provider) => webhooksReceived.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void WebhookRejected(string provider, string code) =>
        webhooksRejected.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("code", code));

    public void WebhookDuplicate(string provider) => webhooksDuplicate.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void WebhookApplied(string provider, string status) =>
        webhooksApplied.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("status", status));

    public void DeliveryStarted(string handler, TimeSpan lag) =>
        deliveryLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("handler", handler));

    public void DeliverySucceeded(string handler) => deliveriesSucceeded.Add(1, new KeyValuePair<string, object?>("handler", handler));

    public void DeliveryFailed(string handler, bool dead) =>
        deliveryFailures.Add(1, new KeyValuePair<string, object?>("handler", handler), new KeyValuePair<string, object?>("outcome", dead ? "dead" : "retry"));

    public void ProviderCall(string provider, string operation, TimeSpan duration, string? errorCode)
    {
        var tags = new TagList
        {
            { "provider", provider },
            { "operation", operation },
            { "outcome", errorCode is null ? "ok" : "error" },
        };
        providerCallDuration.Record(duration.TotalMilliseconds, tags);
        if (errorCode is not null)
        {
            tags.Add("code", errorCode);
            providerCallErrors.Add(1, tags);
        }
    }
}
