using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>
/// Decides whether the caller may send this request, from the access interface the request declares.
/// A request that declares none is a bug and throws, so a new use case cannot be open by accident.
/// </summary>
internal sealed class AuthorizationBehaviour<TRequest, TResponse>(ICurrentUser currentUser, IAppDbContext db)
    : IPipelineBehavior<TRequest, TResponse>
{
    public static readonly Error SignInRequired =
        Error.Unauthenticated("auth.sign_in_required", "Sign in to continue.");

    public static readonly Error OrganizationNotFound =
        Error.NotFound("auth.organization_not_found", "Organisation not found.");

    public static readonly Error RoleRequired =
        Error.Forbidden("auth.role_required", "Your role in this organisation does not allow this.");

    public static readonly Error OpsRequired =
        Error.Forbidden("auth.ops_required", "Only operators may do this.");

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var error = await CheckAsync(request, cancellationToken);
        return error is null ? await next() : ResultFactory.Failure<TResponse>(error);
    }

    private async Task<Error?> CheckAsync(TRequest request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case IAnonymousRequest or ISystemRequest:
                return null;
            case IAuthenticatedRequest:
                return currentUser.UserId is null ? SignInRequired : null;
            case IOpsRequest:
                return currentUser.UserId is null ? SignInRequired : currentUser.IsOps ? null : OpsRequired;
            case IOrganizationRequest scoped:
                if (currentUser.UserId is not { } userId)
                {
                    return SignInRequired;
                }

                var role = await db.Memberships
                    .AsNoTracking()
                    .Where(m => m.OrganizationId == scoped.OrganizationId && m.UserId == userId)
                    .Select(m => (OrganizationRole?)m.Role)
                    .FirstOrDefaultAsync(cancellationToken);

                // A non-member learns nothing about whether the organisation exists.
                return role switch
                {
                    null => OrganizationNotFound,
                    { } r when !r.IsAtLeast(scoped.MinimumRole) => RoleRequired,
                    _ => null,
                };
            default:
                throw new InvalidOperationException(
                    $"{typeof(TRequest).Name} declares no access rule: implement one of IAnonymousRequest, IAuthenticatedRequest, " +
                    "IOrganizationRequest, IOpsRequest or ISystemRequest.");
        }
    }
}
