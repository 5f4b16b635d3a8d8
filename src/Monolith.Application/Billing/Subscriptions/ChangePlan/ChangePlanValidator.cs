using FluentValidation;

namespace Monolith.Application.Billing.Subscriptions.ChangePlan;

internal sealed class ChangePlanValidator : AbstractValidator<ChangePlanCommand>
{
    public ChangePlanValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.SubscriptionId).NotEmpty();
        RuleFor(c => c.PriceId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Quantity).InclusiveBetween(1, 10_000);
        RuleFor(c => c.IdempotencyKey).MaximumLength(200);
    }
}
