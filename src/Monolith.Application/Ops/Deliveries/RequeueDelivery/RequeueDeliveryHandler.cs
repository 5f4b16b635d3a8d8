using MediatR;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries.RequeueDelivery;

internal sealed class RequeueDeliveryHandler(IOutboxOperations outbox, OpsAuditTrail audit) : IRequestHandler<RequeueDeliveryCommand, Result<Unit>>
{
    public async Task<Result<Unit>> Handle(RequeueDeliveryCommand request, CancellationToken cancellationToken)
    {
        var requeued = await outbox.RequeueAsync(request.DeliveryId, cancellationToken);
        if (requeued.IsFailure)
        {
            return requeued.Error!;
        }

        await audit.RecordAsync(OpsActions.DeliveryRequeue, "delivery", request.DeliveryId.ToString(), null, cancellationToken);
        return Unit.Value;
    }
}
