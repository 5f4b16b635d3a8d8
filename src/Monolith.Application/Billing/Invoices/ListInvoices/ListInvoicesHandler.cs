using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Invoices.ListInvoices;

internal sealed class ListInvoicesHandler(IAppDbContext db) : IRequestHandler<ListInvoicesQuery, Result<IReadOnlyList<InvoiceSummary>>>
{
    public async Task<Result<IReadOnlyList<InvoiceSummary>>> Handle(ListInvoicesQuery request, CancellationToken cancellationToken)
    {
        if (await db.BillingAccountIdOfAsync(request.OrganizationId, cancellationToken) is not { } accountId)
        {
            return Result.Success<IReadOnlyList<InvoiceSummary>>([]);
        }

        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => i.BillingAccountId == accountId)
            .Select(i => new InvoiceSummary(i.Id, i.Status, i.AmountDue.AmountMinor, i.AmountPaid.AmountMinor, i.AmountDue.Currency,
                i.PeriodStart, i.PeriodEnd, i.HostedUrl, i.PdfUrl))
            .ToListAsync(cancellationToken);
        return invoices.OrderByDescending(i => i.PeriodStart).Take(100).ToList();
    }
}
