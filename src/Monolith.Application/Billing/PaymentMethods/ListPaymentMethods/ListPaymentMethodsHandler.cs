using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.PaymentMethods.ListPaymentMethods;

internal sealed class ListPaymentMethodsHandler(IAppDbContext db, IPaymentMethods paymentMethods)
    : IRequestHandler<ListPaymentMethodsQuery, Result<IReadOnlyList<PaymentMethodSummary>>>
{
    public async Task<Result<IReadOnlyList<PaymentMethodSummary>>> Handle(ListPaymentMethodsQuery request, CancellationToken cancellationToken)
    {
        var customerId = await db.BillingAccounts.AsNoTracking()
            .Where(a => a.OrganizationId == request.OrganizationId)
            .SelectMany(a => a.Customers)
            .Where(c => c.Provider == paymentMethods.Provider)
            .Select(c => c.CustomerId)
            .FirstOrDefaultAsync(cancellationToken);
        return customerId is null
            ? Result.Success<IReadOnlyList<PaymentMethodSummary>>([])
            : await paymentMethods.ListAsync(customerId, cancellationToken);
    }
}
