using FluentValidation;
#if (isIdempotent)
using Monolith.Application.Common.Idempotency;
#endif

namespace Monolith.Application.AreaName.FeatureName.UseCaseName;

internal sealed class UseCaseNameValidator : AbstractValidator<UseCaseNameRequestKind>
{
    public UseCaseNameValidator()
    {
        RuleFor(r => r.SubjectId).NotEmpty();
#if (isIdempotent)
        RuleFor(r => r.IdempotencyKey).MaximumLength(IdempotencyRecord.KeyMaxLength);
#endif
    }
}
