using MediatR;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Accounts.Organizations.CreateOrganization;

internal sealed class CreateOrganizationHandler(IAppDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<CreateOrganizationCommand, Result<CreateOrganizationResult>>
{
    public Task<Result<CreateOrganizationResult>> Handle(CreateOrganizationCommand request, CancellationToken cancellationToken)
    {
        var created = Organization.Create(Guid.NewGuid(), request.Name, currentUser.UserId!.Value, isPersonal: false, clock.GetUtcNow());
        if (created.IsFailure)
        {
            return Task.FromResult<Result<CreateOrganizationResult>>(created.Error);
        }

        db.Organizations.Add(created.Value);
        return Task.FromResult<Result<CreateOrganizationResult>>(new CreateOrganizationResult(created.Value.Id, created.Value.Name));
    }
}
