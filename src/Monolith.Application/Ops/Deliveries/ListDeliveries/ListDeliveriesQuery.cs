using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Common;

namespace Monolith.Application.Ops.Deliveries.ListDeliveries;

/// <summary>Outbox deliveries, newest first, filtered by state and/or handler name.</summary>
public sealed record ListDeliveriesQuery(string? State = null, string? Handler = null, int Page = 1)
    : IQuery<DeliveryList>, IOpsRequest;

public sealed record DeliveryList(OpsPage<DeliverySummary> Deliveries, IReadOnlyList<string> Handlers);
