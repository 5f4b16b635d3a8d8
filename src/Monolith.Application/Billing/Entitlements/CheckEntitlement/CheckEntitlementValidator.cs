using FluentValidation;

namespace Monolith.Application.Billing.Entitlements.CheckEntitlement;

internal sealed class CheckEntitlementValidator : AbstractValidator<CheckEntitlementQuery>
{
    public CheckEntitlementValidator()
    {
        RuleFor(q => q.OrganizationId).NotEmpty();
        RuleFor(q => q)
            .Must(q => string.IsNullOrWhiteSpace(q.FeatureId) != string.IsNullOrWhiteSpace(q.PriceId))
            .WithName("FeatureId")
            .WithMessage("Give exactly one of featureId or priceId.");
        RuleFor(q => q.FeatureId).MaximumLength(64);
        RuleFor(q => q.PriceId).MaximumLength(64);
    }
}
