using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Payments.RefundPayment;

internal sealed class RefundPaymentHandler(IAppDbContext db, RefundIssuer issuer, IOptions<RefundOptions> options, TimeProvider clock)
    : IRequestHandler<RefundPaymentCommand, Result<RefundRequested>>
{
    public async Task<Result<RefundRequested>> Handle(RefundPaymentCommand request, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking()
            .Where(p => p.Id == request.PaymentId && db.BillingAccounts.Any(a => a.Id == p.BillingAccountId && a.OrganizationId == request.OrganizationId))
            .FirstOrDefaultAsync(cancellationToken);
        if (payment is null)
        {
            return PaymentErrors.NotFound;
        }

        var allowed = options.Value.Policy.AllowsOwner(payment, clock.GetUtcNow());
        if (allowed.IsFailure)
        {
            return allowed.Error!;
        }

        return await issuer.IssueAsync(payment, request.AmountMinor, request.Reason, request.IdempotencyKey, cancellationToken);
    }
}
