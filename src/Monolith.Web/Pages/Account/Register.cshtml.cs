using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Accounts.Users.RegisterUser;
using Monolith.Infrastructure.Identity;

namespace Monolith.Web.Pages.Account;

public sealed class RegisterModel(IMediator mediator, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
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
        if (result.IsFailure)
        {
            PageErrors.Add(ModelState, result.Error, "Input");
            return Page();
        }

        var user = await users.FindByIdAsync(result.Value.UserId.ToString());
        await signIn.SignInAsync(user!, isPersistent: false);
        return LocalRedirect("/");
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
