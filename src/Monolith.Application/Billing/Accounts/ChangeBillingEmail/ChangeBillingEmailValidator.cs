using FluentValidation;
using Monolith.Domain.Billing.Accounts;

namespace Monolith.Application.Billing.Accounts.ChangeBillingEmail;

internal sealed class ChangeBillingEmailValidator : AbstractValidator<ChangeBillingEmailCommand>
{
    public ChangeBillingEmailValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.Email).NotEmpty().MaximumLength(BillingAccountErrors.EmailMaxLength);
    }
}
