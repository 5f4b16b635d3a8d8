using System.Globalization;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.Payments.RefundPayment;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Payments.IssueRefund;

internal sealed class IssueRefundHandler(IAppDbContext db, RefundIssuer issuer, OpsAuditTrail audit)
    : IRequestHandler<IssueRefundCommand, Result<RefundRequested>>
{
    public async Task<Result<RefundRequested>> Handle(IssueRefundCommand request, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PaymentId, cancellationToken);
        if (payment is null)
        {
            return PaymentErrors.NotFound;
        }

        var refund = await issuer.IssueAsync(payment, request.AmountMinor, request.Reason, request.IdempotencyKey, cancellationToken);
        if (refund.IsFailure)
        {
            return refund.Error;
        }

        await audit.RecordAsync(OpsActions.PaymentRefund, "payment", payment.Id.ToString(),
            string.Create(CultureInfo.InvariantCulture,
                $"{payment.Provider} {payment.ProviderPaymentId}: refund {refund.Value.ProviderRefundId} of {refund.Value.AmountMinor} {refund.Value.Currency} (minor units), {refund.Value.Status}; reason: {request.Reason ?? "(none)"}"),
            cancellationToken);
        return refund;
    }
}
