using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Notifications;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Email;

/// <summary>The account's organisation and its longest-standing owner's email (users live in the Identity tables).</summary>
internal sealed class BillingContacts(AppDbContext db) : IBillingContacts
{
    public async Task<BillingContact?> FindAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        var found = await (
                from account in db.BillingAccounts.AsNoTracking()
                join organization in db.Organizations.AsNoTracking() on account.OrganizationId equals organization.Id
                join membership in db.Memberships.AsNoTracking() on organization.Id equals membership.OrganizationId
                join user in db.Users.AsNoTracking() on membership.UserId equals user.Id
                where account.Id == billingAccountId && membership.Role == OrganizationRole.Owner && user.Email != null
                orderby membership.JoinedAt
                select new { user.Email, organization.Name })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : new BillingContact(found.Email!, found.Name);
    }
}
