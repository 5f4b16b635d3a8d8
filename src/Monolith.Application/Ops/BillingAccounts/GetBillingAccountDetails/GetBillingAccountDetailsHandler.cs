using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.BillingAccounts.GetBillingAccountDetails;

internal sealed class GetBillingAccountDetailsHandler(IAppDbContext db, IOpsUsers users)
    : IRequestHandler<GetBillingAccountDetailsQuery, Result<BillingAccountDetails>>
{
    private const int Rows = 100;

    public async Task<Result<BillingAccountDetails>> Handle(GetBillingAccountDetailsQuery request, CancellationToken cancellationToken)
    {
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == request.OrganizationId)
            .Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(cancellationToken);
        if (org is null)
        {
            return OpsErrors.OrganizationNotFound;
        }

        var memberships = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == org.Id)
            .Select(m => new { m.UserId, m.Role }).ToListAsync(cancellationToken);
        var emails = await users.EmailsAsync(memberships.Select(m => m.UserId).ToList(), cancellationToken);
        var members = memberships.Select(m => new MemberRow(m.UserId, emails.GetValueOrDefault(m.UserId, "(unknown)"), m.Role.ToString())).ToList();

        var account = await db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == org.Id)
            .Select(a => new AccountRow(a.Id, a.OpenedAt, a.HasUsedTrial,
                a.Customers.Select(c => new CustomerRow(c.Provider, c.CustomerId, c.LinkedAt)).ToList()))
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return new BillingAccountDetails(org.Id, org.Name, members, null, [], [], [], []);
        }

        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.BillingAccountId == account.Id)
            .Select(s => new SubscriptionRow(s.Id, s.Provider, s.ProviderSubscriptionId, s.Status, s.PlanId, s.PriceId, s.Quantity,
                s.CurrentPeriodStart, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.EndedAt))
            .ToListAsync(cancellationToken);
        var payments = await db.Payments.AsNoTracking().Where(p => p.BillingAccountId == account.Id)
            .Select(p => new PaymentRow(p.Id, p.Provider, p.ProviderPaymentId, p.Kind, p.Status, p.Amount.AmountMinor, p.Amount.Currency,
                p.FailureCode, p.SucceededAt, p.FailedAt, p.Captures.Sum(c => c.Amount.AmountMinor), p.Refunds.Sum(r => r.Amount.AmountMinor)))
            .ToListAsync(cancellationToken);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.BillingAccountId == account.Id)
            .Select(i => new InvoiceRow(i.Id, i.ProviderInvoiceId, i.Status, i.AmountDue.AmountMinor, i.AmountPaid.AmountMinor, i.AmountDue.Currency,
                i.PeriodStart, i.PeriodEnd, i.AttemptCount))
            .ToListAsync(cancellationToken);
        var usage = await db.UsageEvents.AsNoTracking().Where(u => u.BillingAccountId == account.Id)
            .OrderByDescending(u => u.RecordedAt).Take(Rows)
            .Select(u => new UsageRow(u.FeatureId, u.Mode, u.Quantity, u.PeriodStart, u.RecordedAt, u.IdempotencyKey))
            .ToListAsync(cancellationToken);

        return new BillingAccountDetails(org.Id, org.Name, members, account,
            subscriptions.OrderByDescending(s => s.CurrentPeriodStart).ToList(),
            payments.OrderByDescending(p => p.SucceededAt ?? p.FailedAt).Take(Rows).ToList(),
            invoices.OrderByDescending(i => i.PeriodStart).Take(Rows).ToList(),
            usage);
    }
}
