using Monolith.Application.AreaName.FeatureName.UseCaseName;
#if (isIdempotent)
using Monolith.Application.Common.Idempotency;
#endif
#if (isOrganizationRequest)
using Monolith.Domain.Accounts.Organizations;
#else
using Monolith.Application.Common.Messaging;
#endif

namespace Monolith.Application.Tests.AreaName.FeatureName;

public sealed class UseCaseNameTests
{
    private readonly UseCaseNameValidator _validator = new();

    [Fact]
    public void Validate_EmptySubjectId_IsRejected()
    {
        var result = _validator.Validate(new UseCaseNameRequestKind(Guid.Empty));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(UseCaseNameRequestKind.SubjectId));
    }

    [Fact]
    public void Validate_WellFormedRequestKind_IsAccepted()
    {
        var result = _validator.Validate(new UseCaseNameRequestKind(Guid.NewGuid()));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
#if (isIdempotent)

    [Fact]
    public void Validate_OverlongIdempotencyKey_IsRejected()
    {
        var key = new string('k', IdempotencyRecord.KeyMaxLength + 1);

        var result = _validator.Validate(new UseCaseNameRequestKind(Guid.NewGuid(), key));

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(UseCaseNameRequestKind.IdempotencyKey));
    }
#endif

#if (isOrganizationRequest)
    [Fact]
    public void Access_OrganizationRequest_RequiresMinimumRoleValue()
    {
        var request = new UseCaseNameRequestKind(Guid.NewGuid());

        Assert.Equal(OrganizationRole.MinimumRoleValue, request.MinimumRole);
    }
#else
    [Fact]
    public void Access_Declared_IsIAccessRequest()
    {
        var request = new UseCaseNameRequestKind(Guid.NewGuid());

        Assert.IsAssignableFrom<IAccessRequest>(request);
    }
#endif

    [Fact]
    public async Task Handle_WellFormedRequestKind_Succeeds()
    {
        var request = new UseCaseNameRequestKind(Guid.NewGuid());

        var result = await new UseCaseNameHandler().Handle(request, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(request.SubjectId, result.Value.SubjectId);
    }
}
