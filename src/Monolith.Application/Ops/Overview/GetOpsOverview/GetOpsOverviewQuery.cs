using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Deliveries;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Ops.Overview.GetOpsOverview;

/// <summary>The dashboard's first page: delivery states and lag, webhook events of the last 24 h, hourly throughput.</summary>
public sealed record GetOpsOverviewQuery : IQuery<OpsOverview>, IOpsRequest;

/// <param name="Lag">How long the oldest waiting work has waited (a due pending delivery or an undispatched message); zero when none.</param>
/// <param name="WebhooksByStatus">Webhook events received in the last 24 h, per status (every status listed, zeros included).</param>
/// <param name="Hours">24 hourly buckets, oldest first, ending with the current hour.</param>
public sealed record OpsOverview(
    DateTimeOffset At,
    DeliveryCounts Deliveries,
    TimeSpan Lag,
    IReadOnlyList<StatusCount> WebhooksByStatus,
    IReadOnlyList<HourlyThroughput> Hours);

public sealed record StatusCount(WebhookEventStatus Status, int Count);

/// <param name="Hour">Start of the hour (UTC).</param>
public sealed record HourlyThroughput(DateTimeOffset Hour, int WebhooksReceived, int DeliveriesSucceeded);
