using MediatR;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries.GetDelivery;

internal sealed class GetDeliveryHandler(IOpsDeliveries deliveries) : IRequestHandler<GetDeliveryQuery, Result<DeliveryDetail>>
{
    public async Task<Result<DeliveryDetail>> Handle(GetDeliveryQuery request, CancellationToken cancellationToken) =>
        await deliveries.FindAsync(request.DeliveryId, cancellationToken) is { } detail ? detail : OutboxErrors.DeliveryNotFound;
}
