using MediatR;
using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.Deliveries.DeleteDelivery;

/// <summary>
/// Removes a delivery for good (its handler will not run for that message); refused while a worker holds it.
/// The audit entry keeps what was deleted (handler, event type, state, message id).
/// </summary>
public sealed record DeleteDeliveryCommand(Guid DeliveryId) : ICommand<Unit>, IOpsRequest;
