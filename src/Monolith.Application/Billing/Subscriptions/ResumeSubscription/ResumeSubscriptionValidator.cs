using FluentValidation;

namespace Monolith.Application.Billing.Subscriptions.ResumeSubscription;

internal sealed class ResumeSubscriptionValidator : AbstractValidator<ResumeSubscriptionCommand>
{
    public ResumeSubscriptionValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.SubscriptionId).NotEmpty();
        RuleFor(c => c.IdempotencyKey).MaximumLength(200);
    }
}
