using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Notifications;
using Monolith.Application.Billing.Payments;
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
    /// The id an organisation's billing account is opened with: derived from the organisation (a name-based UUID,
    /// version 8). A first checkout whose provider call fails rolls the new account back; its retry must name the same
    /// account, because the provider keys (<c>customer-{account}</c>, <c>checkout-{account}-…</c>) and the metadata sent
    /// with them derive from it — a new random id would make the provider create a second customer.
    /// </summary>
    public static Guid AccountIdFor(Guid organizationId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("monolith:billing-account:" + organizationId.ToString("D")));
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

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

        var opened = BillingAccount.Open(AccountIdFor(organizationId), organizationId, now);
        if (opened.IsSuccess)
        {
            db.BillingAccounts.Add(opened.Value);
        }

        return opened;
    }

    /// <summary>
    /// Who the account's customer at the provider is, as the app knows it now: the organisation's name, the billing
    /// email (else the owner's) and the ids that link it back. Used to create the customer and to keep it in sync.
    /// </summary>
    public static async Task<CreateCustomerRequest> CustomerDetailsAsync(
        this IAppDbContext db, IBillingContacts contacts, BillingAccount account, CancellationToken cancellationToken)
    {
        var name = await db.Organizations.AsNoTracking()
            .Where(o => o.Id == account.OrganizationId)
            .Select(o => o.Name)
            .FirstOrDefaultAsync(cancellationToken);
        var email = account.BillingEmail ?? await contacts.OwnerEmailAsync(account.OrganizationId, cancellationToken);
        return new CreateCustomerRequest(account.Id, account.OrganizationId, email, name);
    }
}
