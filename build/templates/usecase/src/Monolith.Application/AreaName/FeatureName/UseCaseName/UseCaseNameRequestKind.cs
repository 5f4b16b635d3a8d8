using Monolith.Application.Common.Messaging;
#if (isOrganizationRequest)
using Monolith.Domain.Accounts.Organizations;
#endif

namespace Monolith.Application.AreaName.FeatureName.UseCaseName;

#if (isOrganizationRequest)
#if (isIdempotent)
public sealed record UseCaseNameRequestKind(Guid OrganizationId, string? IdempotencyKey = null)
    : IRequestKind<UseCaseNameResult>, IOrganizationRequest, IIdempotentCommand
#else
public sealed record UseCaseNameRequestKind(Guid OrganizationId)
    : IRequestKind<UseCaseNameResult>, IOrganizationRequest
#endif
{
    public OrganizationRole MinimumRole => OrganizationRole.MinimumRoleValue;
}
#elif (isIdempotent)
public sealed record UseCaseNameRequestKind(Guid Id, string? IdempotencyKey = null)
    : IRequestKind<UseCaseNameResult>, IAccessRequest, IIdempotentCommand;
#else
public sealed record UseCaseNameRequestKind(Guid Id)
    : IRequestKind<UseCaseNameResult>, IAccessRequest;
#endif

public sealed record UseCaseNameResult(Guid SubjectId);
