using MediatR;
using Monolith.Application.Accounts.Organizations.ListMyOrganizations;
using Monolith.Domain.Common;

namespace Monolith.Web.Common;

/// <summary>
/// Which organisation a billing call is about: the <c>organizationId</c> the caller gave (membership is checked by the
/// authorization behaviour, not here), otherwise the caller's personal organisation.
/// </summary>
internal static class CallerOrganization
{
    public static async Task<Result<Guid>> ResolveAsync(IMediator mediator, Guid? organizationId, CancellationToken cancellationToken)
    {
        if (organizationId is { } given)
        {
            return given;
        }

        var mine = await mediator.Send(new ListMyOrganizationsQuery(), cancellationToken);
        if (mine.IsFailure)
        {
            return mine.Error;
        }

        var personal = mine.Value.FirstOrDefault(o => o.IsPersonal) ?? mine.Value.FirstOrDefault();
        return personal is null
            ? Error.NotFound("auth.organization_not_found", "You do not belong to any organisation.")
            : personal.OrganizationId;
    }
}
