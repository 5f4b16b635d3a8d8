using FluentValidation;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Accounts.Organizations.RenameOrganization;

internal sealed class RenameOrganizationValidator : AbstractValidator<RenameOrganizationCommand>
{
    public RenameOrganizationValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.Name).NotEmpty().MaximumLength(OrganizationErrors.NameMaxLength);
        RuleFor(c => c.ExpectedVersion).GreaterThanOrEqualTo(0);
    }
}
