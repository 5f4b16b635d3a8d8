using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Accounts.Organizations.ListMyOrganizations;

internal sealed class ListMyOrganizationsHandler(IAppDbContext db, ICurrentUser currentUser)
    : IRequestHandler<ListMyOrganizationsQuery, Result<IReadOnlyList<OrganizationSummary>>>
{
    public async Task<Result<IReadOnlyList<OrganizationSummary>>> Handle(ListMyOrganizationsQuery request, CancellationToken cancellationToken)
    {
        var userId = currentUser.UserId!.Value;
        var rows = await db.Memberships
            .AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { o.Id, o.Name, o.IsPersonal, m.Role, o.Version })
            .ToListAsync(cancellationToken);

        return rows
            .OrderByDescending(r => r.IsPersonal)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new OrganizationSummary(r.Id, r.Name, r.IsPersonal, r.Role, r.Version))
            .ToList();
    }
}
