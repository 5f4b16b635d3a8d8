using FluentValidation;

namespace Monolith.Application.Billing.Subscriptions.CancelSubscription;

internal sealed class CancelSubscriptionValidator : AbstractValidator<CancelSubscriptionCommand>
{
    public CancelSubscriptionValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.SubscriptionId).NotEmpty();
        RuleFor(c => c.IdempotencyKey).MaximumLength(200);
    }
}
