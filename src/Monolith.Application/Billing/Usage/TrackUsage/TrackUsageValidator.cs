using FluentValidation;
using Monolith.Domain.Billing.Usage;

namespace Monolith.Application.Billing.Usage.TrackUsage;

internal sealed class TrackUsageValidator : AbstractValidator<TrackUsageCommand>
{
    public TrackUsageValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.FeatureId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.IdempotencyKey).NotEmpty().MaximumLength(UsageEvent.MaxIdempotencyKeyLength);
        RuleFor(c => c.Mode).IsInEnum();
        RuleFor(c => c.Quantity).GreaterThan(0).When(c => c.Mode == UsageMode.Add);
        RuleFor(c => c.Quantity).GreaterThanOrEqualTo(0).When(c => c.Mode == UsageMode.SetTotal);
    }
}
