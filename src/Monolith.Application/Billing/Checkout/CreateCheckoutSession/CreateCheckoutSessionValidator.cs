using FluentValidation;
using Monolith.Application.Common.Idempotency;

namespace Monolith.Application.Billing.Checkout.CreateCheckoutSession;

internal sealed class CreateCheckoutSessionValidator : AbstractValidator<CreateCheckoutSessionCommand>
{
    public CreateCheckoutSessionValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.PriceId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Quantity).InclusiveBetween(1, 10_000);
        RuleFor(c => c.SuccessUrl).NotEmpty().MaximumLength(2048).Must(BeAbsoluteHttp).WithMessage("Must be an absolute http(s) URL.");
        RuleFor(c => c.CancelUrl).NotEmpty().MaximumLength(2048).Must(BeAbsoluteHttp).WithMessage("Must be an absolute http(s) URL.");
        RuleFor(c => c.IdempotencyKey).MaximumLength(IdempotencyRecord.KeyMaxLength);
    }

    private static bool BeAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
