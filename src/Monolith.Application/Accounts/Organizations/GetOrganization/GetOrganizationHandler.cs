using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Accounts.Organizations.GetOrganization;

internal sealed class GetOrganizationHandler(IAppDbContext db)
    : IRequestHandler<GetOrganizationQuery, Result<OrganizationDetails>>
{
    public async Task<Result<OrganizationDetails>> Handle(GetOrganizationQuery request, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations
            .AsNoTracking()
            .Where(o => o.Id == request.OrganizationId)
            .Select(o => new { o.Id, o.Name, o.IsPersonal, o.Version })
            .FirstOrDefaultAsync(cancellationToken);
        if (organization is null)
        {
            return OrganizationErrors.NotFound;
        }

        var members = await db.Memberships
            .AsNoTracking()
            .Where(m => m.OrganizationId == request.OrganizationId)
            .Select(m => new OrganizationMember(m.UserId, m.Role, m.JoinedAt))
            .ToListAsync(cancellationToken);

        return new OrganizationDetails(organization.Id, organization.Name, organization.IsPersonal, organization.Version,
            members.OrderByDescending(m => m.Role).ThenBy(m => m.JoinedAt).ToList());
    }
}
