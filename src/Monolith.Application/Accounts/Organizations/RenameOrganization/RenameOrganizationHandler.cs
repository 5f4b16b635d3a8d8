using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Accounts.Organizations.RenameOrganization;

internal sealed class RenameOrganizationHandler(IAppDbContext db, TimeProvider clock)
    : IRequestHandler<RenameOrganizationCommand, Result<RenameOrganizationResult>>
{
    public async Task<Result<RenameOrganizationResult>> Handle(RenameOrganizationCommand request, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == request.OrganizationId, cancellationToken);
        if (organization is null)
        {
            return OrganizationErrors.NotFound;
        }

        if (organization.Version != request.ExpectedVersion)
        {
            return CommonErrors.ConcurrencyConflict;
        }

        var renamed = organization.Rename(request.Name, clock.GetUtcNow());
        if (renamed.IsFailure)
        {
            return renamed.Error;
        }

        return new RenameOrganizationResult(organization.Id, organization.Name);
    }
}
