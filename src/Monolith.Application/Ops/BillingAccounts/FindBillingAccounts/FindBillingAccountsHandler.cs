using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.BillingAccounts.FindBillingAccounts;

internal sealed class FindBillingAccountsHandler(IAppDbContext db, IOpsUsers users)
    : IRequestHandler<FindBillingAccountsQuery, Result<IReadOnlyList<OrganizationMatch>>>
{
    private const int Limit = 50;

    public async Task<Result<IReadOnlyList<OrganizationMatch>>> Handle(FindBillingAccountsQuery request, CancellationToken cancellationToken)
    {
        var term = request.Term.Trim();
        var orgIds = new HashSet<Guid>();
        if (Guid.TryParse(term, out var id))
        {
            orgIds.UnionWith(await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Id).ToListAsync(cancellationToken));
            orgIds.UnionWith(await db.BillingAccounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.OrganizationId).ToListAsync(cancellationToken));
        }
        else
        {
            var lowered = term.ToLowerInvariant();
            orgIds.UnionWith(await db.Organizations.AsNoTracking()
                .Where(o => o.Name.ToLower().Contains(lowered)).Select(o => o.Id).Take(Limit).ToListAsync(cancellationToken));
            orgIds.UnionWith(await db.BillingAccounts.AsNoTracking()
                .Where(a => a.Customers.Any(c => c.CustomerId == term)).Select(a => a.OrganizationId).ToListAsync(cancellationToken));
            var userIds = await users.FindByEmailAsync(term, Limit, cancellationToken);
            if (userIds.Count > 0)
            {
                orgIds.UnionWith(await db.Memberships.AsNoTracking()
                    .Where(m => userIds.Contains(m.UserId)).Select(m => m.OrganizationId).Take(Limit).ToListAsync(cancellationToken));
            }
        }

        var ids = orgIds.Take(Limit).ToList();
        var matches = await db.Organizations.AsNoTracking()
            .Where(o => ids.Contains(o.Id))
            .Select(o => new
            {
                o.Id,
                o.Name,
                o.IsPersonal,
                AccountId = db.BillingAccounts.Where(a => a.OrganizationId == o.Id).Select(a => (Guid?)a.Id).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var accountIds = matches.Where(m => m.AccountId is not null).Select(m => m.AccountId!.Value).ToList();
        var subscriptionCounts = await db.Subscriptions.AsNoTracking()
            .Where(s => accountIds.Contains(s.BillingAccountId))
            .GroupBy(s => s.BillingAccountId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return matches
            .Select(m => new OrganizationMatch(m.Id, m.Name, m.IsPersonal, m.AccountId,
                m.AccountId is { } a && subscriptionCounts.TryGetValue(a, out var n) ? n : 0))
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
