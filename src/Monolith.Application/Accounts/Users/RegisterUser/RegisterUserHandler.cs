using MediatR;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Accounts.Users.RegisterUser;

internal sealed class RegisterUserHandler(IIdentityService identity, IAppDbContext db, TimeProvider clock)
    : IRequestHandler<RegisterUserCommand, Result<RegisterUserResult>>
{
    public async Task<Result<RegisterUserResult>> Handle(RegisterUserCommand request, CancellationToken cancellationToken)
    {
        var user = await identity.CreateUserAsync(request.Email.Trim(), request.Password, cancellationToken);
        if (user.IsFailure)
        {
            return user.Error;
        }

        var name = PersonalOrganizationName(request.Email);
        var organization = Organization.Create(Guid.NewGuid(), name, user.Value, isPersonal: true, clock.GetUtcNow());
        if (organization.IsFailure)
        {
            return organization.Error;
        }

        db.Organizations.Add(organization.Value);
        return new RegisterUserResult(user.Value, organization.Value.Id);
    }

    private static string PersonalOrganizationName(string email)
    {
        // The email's local part may hold characters a name refuses (control, bidi overrides): they are dropped, not refused.
        var local = DisplayName.Clean(email.Trim().Split('@')[0]).Trim();
        var name = local.Length == 0 ? "My organisation" : $"{local}'s organisation";
        return name.Length <= OrganizationErrors.NameMaxLength ? name : name[..OrganizationErrors.NameMaxLength];
    }
}
