using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Accounts;

/// <summary>Billing belongs to an organisation: one billing account per organisation, opened on first need.</summary>
internal static class BillingAccountLookups
{
    public static Task<Guid?> BillingAccountIdOfAsync(this IAppDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        db.BillingAccounts.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The organisation's account, opened (and added to the unit of work) if it has none. Two first requests racing
    /// meet the unique index on organization_id: one commits, the other fails and may retry.
    /// </summary>
    public static async Task<Result<BillingAccount>> GetOrOpenBillingAccountAsync(
        this IAppDbContext db, Guid organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await db.BillingAccounts.FirstOrDefaultAsync(a => a.OrganizationId == organizationId, cancellationToken);
        if (account is not null)
        {
            return account;
        }

        var opened = BillingAccount.Open(Guid.NewGuid(), organizationId, now);
        if (opened.IsSuccess)
        {
            db.BillingAccounts.Add(opened.Value);
        }

        return opened;
    }
}
