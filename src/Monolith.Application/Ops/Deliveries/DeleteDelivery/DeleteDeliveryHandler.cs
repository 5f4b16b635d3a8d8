using MediatR;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries.DeleteDelivery;

internal sealed class DeleteDeliveryHandler(IOpsDeliveries deliveries, OpsAuditTrail audit) : IRequestHandler<DeleteDeliveryCommand, Result<Unit>>
{
    public async Task<Result<Unit>> Handle(DeleteDeliveryCommand request, CancellationToken cancellationToken)
    {
        var deleted = await deliveries.DeleteAsync(request.DeliveryId, cancellationToken);
        if (deleted.IsFailure)
        {
            return deleted.Error!;
        }

        var d = deleted.Value;
        await audit.RecordAsync(OpsActions.DeliveryDelete, "delivery", d.Id.ToString(),
            $"handler={d.Handler}; event={d.EventType}; state={d.State}; attempts={d.Attempts}; message={d.MessageId}", cancellationToken);
        return Unit.Value;
    }
}
