using FluentValidation;

namespace Monolith.Application.Billing.Portal.CreatePortalSession;

internal sealed class CreatePortalSessionValidator : AbstractValidator<CreatePortalSessionCommand>
{
    public CreatePortalSessionValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.ReturnUrl).NotEmpty().MaximumLength(2048)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("Must be an absolute http(s) URL.");
    }
}
