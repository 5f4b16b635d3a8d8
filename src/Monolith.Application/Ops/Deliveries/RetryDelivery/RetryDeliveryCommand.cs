using MediatR;
using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.Deliveries.RetryDelivery;

/// <summary>A pending or failed (retrying) delivery becomes due now instead of after its backoff. Audited.</summary>
public sealed record RetryDeliveryCommand(Guid DeliveryId) : ICommand<Unit>, IOpsRequest;
