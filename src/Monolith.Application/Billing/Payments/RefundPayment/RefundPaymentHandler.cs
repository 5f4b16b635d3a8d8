using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Payments.RefundPayment;

internal sealed class RefundPaymentHandler(IAppDbContext db, IPaymentsPort payments)
    : IRequestHandler<RefundPaymentCommand, Result<RefundRequested>>
{
    public static readonly Error NotFound = Error.NotFound("billing.payment.not_found", "Payment not found.");

    public static readonly Error NothingToRefund = Error.Rule("billing.payment.nothing_to_refund", "Nothing of this payment is left to refund.");

    public static readonly Error TooMuch = Error.Rule("billing.payment.refund_exceeds_captured", "A refund cannot exceed what is left of the captured amount.");

    public async Task<Result<RefundRequested>> Handle(RefundPaymentCommand request, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking()
            .Where(p => p.Id == request.PaymentId && db.BillingAccounts.Any(a => a.Id == p.BillingAccountId && a.OrganizationId == request.OrganizationId))
            .FirstOrDefaultAsync(cancellationToken);
        if (payment is null)
        {
            return NotFound;
        }

        var refundable = payment.RefundableAmount;
        if (refundable.AmountMinor <= 0)
        {
            return NothingToRefund;
        }

        var amount = request.AmountMinor ?? refundable.AmountMinor;
        if (amount > refundable.AmountMinor)
        {
            return TooMuch;
        }

        var refund = await payments.RefundPaymentAsync(
            new RefundRequest(payment.ProviderPaymentId, amount, refundable.Currency, request.Reason),
            $"refund-{payment.Id:N}-{amount}-{request.IdempotencyKey ?? payment.RefundedAmount.AmountMinor.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken);
        return refund.IsFailure
            ? refund.Error
            : new RefundRequested(payment.Id, refund.Value.ProviderRefundId, refund.Value.AmountMinor, refund.Value.Currency, refund.Value.Status);
    }
}
