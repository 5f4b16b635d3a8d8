using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Accounts.Users.RegisterUser;
using Monolith.Application.Common.Email;
using Monolith.Application.Common.Interfaces;
using Monolith.Infrastructure.Identity;

namespace Monolith.Web.Pages.Account;

public sealed class RegisterModel(
    IMediator mediator,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IEmailSender email,
    IAppOrigin origin,
    TimeProvider clock,
    ILogger<RegisterModel> logger)
    : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(Input.Password, Input.ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError("Input.ConfirmPassword", "The passwords do not match.");
            return Page();
        }

        var result = await mediator.Send(new RegisterUserCommand(Input.Email ?? string.Empty, Input.Password ?? string.Empty), cancellationToken);
        if (result.IsFailure && result.Error.Code == IdentityService.EmailTaken.Code)
        {
            // Never say that an account exists: the same answer as a new registration, and the account's owner is told.
            await TellTheOwnerAsync(Input.Email!, cancellationToken);
            return LocalRedirect("/");
        }

        if (result.IsFailure)
        {
            PageErrors.Add(ModelState, result.Error, "Input");
            return Page();
        }

        var user = await users.FindByIdAsync(result.Value.UserId.ToString());
        await signIn.SignInAsync(user!, isPersistent: false);
        return LocalRedirect("/");
    }

    /// <summary>
    /// "Someone tried to create an account with your email" — at most one per account and hour (the message key), sent
    /// at once (no state changed, so there is nothing for the outbox to carry). A failed send is logged, never shown.
    /// </summary>
    private async Task TellTheOwnerAsync(string enteredEmail, CancellationToken cancellationToken)
    {
        var owner = await users.FindByEmailAsync(enteredEmail.Trim());
        if (owner?.Email is not { Length: > 0 } address)
        {
            return;
        }

        var signInUrl = new Uri(origin.Current, "/account/login").ToString();
        var hour = clock.GetUtcNow().ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var sent = await email.SendAsync(new EmailMessage(
            address,
            "Someone tried to create an account with your email",
            $"Someone (perhaps you) tried to create a new account with {address}, which already has one. Nothing was changed. " +
            $"If it was you, sign in at {signInUrl}. If it was not you, you can ignore this email.",
            $"<p>Someone (perhaps you) tried to create a new account with <strong>{WebUtility.HtmlEncode(address)}</strong>, which already has one. " +
            $"Nothing was changed.</p><p>If it was you, <a href=\"{WebUtility.HtmlEncode(signInUrl)}\">sign in</a>. If it was not you, you can ignore this email.</p>",
            $"registration-attempt-{owner.Id:N}-{hour}"), cancellationToken);
        if (sent.IsFailure)
        {
            logger.LogWarning("Could not send the existing-account notice: {Code}", sent.Error.Code);
        }
    }

    public sealed class RegisterInput
    {
        [Display(Name = "Email")]
        public string? Email { get; set; }

        [Display(Name = "Password")]
        public string? Password { get; set; }

        [Display(Name = "Confirm password")]
        public string? ConfirmPassword { get; set; }
    }
}
