using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.Deliveries.GetDelivery;

/// <summary>One delivery with its message payload and last error.</summary>
public sealed record GetDeliveryQuery(Guid DeliveryId) : IQuery<DeliveryDetail>, IOpsRequest;
