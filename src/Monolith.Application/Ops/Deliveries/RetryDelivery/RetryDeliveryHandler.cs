using MediatR;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries.RetryDelivery;

internal sealed class RetryDeliveryHandler(IOutboxOperations outbox, OpsAuditTrail audit) : IRequestHandler<RetryDeliveryCommand, Result<Unit>>
{
    public async Task<Result<Unit>> Handle(RetryDeliveryCommand request, CancellationToken cancellationToken)
    {
        var retried = await outbox.RetryNowAsync(request.DeliveryId, cancellationToken);
        if (retried.IsFailure)
        {
            return retried.Error!;
        }

        await audit.RecordAsync(OpsActions.DeliveryRetryNow, "delivery", request.DeliveryId.ToString(), null, cancellationToken);
        return Unit.Value;
    }
}
