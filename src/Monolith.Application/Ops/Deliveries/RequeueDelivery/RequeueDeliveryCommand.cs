using MediatR;
using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.Deliveries.RequeueDelivery;

/// <summary>A dead delivery goes back to pending with its attempts reset (its last error is kept). Audited.</summary>
public sealed record RequeueDeliveryCommand(Guid DeliveryId) : ICommand<Unit>, IOpsRequest;
