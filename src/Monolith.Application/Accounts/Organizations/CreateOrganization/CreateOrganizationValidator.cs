using FluentValidation;
using Monolith.Application.Common.Idempotency;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Accounts.Organizations.CreateOrganization;

internal sealed class CreateOrganizationValidator : AbstractValidator<CreateOrganizationCommand>
{
    public CreateOrganizationValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(OrganizationErrors.NameMaxLength);
        RuleFor(c => c.IdempotencyKey).MaximumLength(IdempotencyRecord.KeyMaxLength);
    }
}
