using FluentValidation;

namespace Monolith.Application.Ops.BillingAccounts.FindBillingAccounts;

internal sealed class FindBillingAccountsValidator : AbstractValidator<FindBillingAccountsQuery>
{
    public FindBillingAccountsValidator()
    {
        RuleFor(q => q.Term).NotEmpty().MaximumLength(256);
    }
}
