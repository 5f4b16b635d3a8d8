using FluentValidation;

namespace Monolith.Application.Accounts.Users.RegisterUser;

internal sealed class RegisterUserValidator : AbstractValidator<RegisterUserCommand>
{
    public const int PasswordMinLength = 8;

    public RegisterUserValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(256).EmailAddress();
        RuleFor(c => c.Password).NotEmpty().MinimumLength(PasswordMinLength).MaximumLength(128);
    }
}
