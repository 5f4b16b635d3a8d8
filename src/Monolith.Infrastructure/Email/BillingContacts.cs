using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Notifications;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Email;

/// <summary>The account's organisation and its billing email, else its longest-standing owner's email (users live in the Identity tables).</summary>
internal sealed class BillingContacts(AppDbContext db) : IBillingContacts
{
    public async Task<BillingContact?> FindAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        var found = await (
                from account in db.BillingAccounts.AsNoTracking()
                join organization in db.Organizations.AsNoTracking() on account.OrganizationId equals organization.Id
                where account.Id == billingAccountId
                select new { account.BillingEmail, organization.Id, organization.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var email = found.BillingEmail ?? await OwnerEmailAsync(found.Id, cancellationToken);
        return email is null ? null : new BillingContact(email, found.Name);
    }

    public Task<string?> OwnerEmailAsync(Guid organizationId, CancellationToken cancellationToken) => (
            from membership in db.Memberships.AsNoTracking()
            join user in db.Users.AsNoTracking() on membership.UserId equals user.Id
            where membership.OrganizationId == organizationId && membership.Role == OrganizationRole.Owner && user.Email != null
            orderby membership.JoinedAt
            select user.Email)
        .FirstOrDefaultAsync(cancellationToken);
}
