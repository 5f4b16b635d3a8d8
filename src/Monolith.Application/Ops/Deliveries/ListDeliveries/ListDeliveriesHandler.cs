using MediatR;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries.ListDeliveries;

internal sealed class ListDeliveriesHandler(IOpsDeliveries deliveries) : IRequestHandler<ListDeliveriesQuery, Result<DeliveryList>>
{
    public async Task<Result<DeliveryList>> Handle(ListDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var handler = string.IsNullOrWhiteSpace(request.Handler) ? null : request.Handler.Trim();
        var page = await deliveries.ListAsync(request.State, handler, request.Page, cancellationToken);
        return new DeliveryList(page, await deliveries.HandlerNamesAsync(cancellationToken));
    }
}
