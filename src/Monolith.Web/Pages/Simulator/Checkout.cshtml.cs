using Monolith.Domain.Billing.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Web.Pages.Simulator;

/// <summary>The simulator's hosted checkout page: the provider's page, served by the app itself.</summary>
public sealed class CheckoutModel(SimulatorState state, PlanCatalog catalog) : PageModel
{
    /// <summary>The plan's display name from the catalogue (the simulator's "product name").</summary>
    public string PlanName => Session is { } s && catalog.FindPlan(s.PlanId) is { IsSuccess: true } plan ? plan.Value.Name : "your plan";

    public SimulatorCheckoutView? Session { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? CardNumber { get; set; }

    public IActionResult OnGet(string sessionId) => Show(sessionId, null);

    public IActionResult OnPostPay(string sessionId) => Handle(sessionId, state.SubmitCard(sessionId, CardNumber));

    public IActionResult OnPostAuthenticate(string sessionId, bool approve) =>
        Handle(sessionId, state.CompleteAuthentication(sessionId, approve));

    private IActionResult Handle(string sessionId, CheckoutAttempt attempt) =>
        attempt.Outcome == CheckoutAttemptOutcome.Completed && attempt.RedirectTo is { } to
            ? Redirect(to.ToString())
            : Show(sessionId, attempt.Message);

    private IActionResult Show(string sessionId, string? error)
    {
        Session = state.FindCheckout(sessionId);
        Error = error;
        CardNumber = null;
        return Session is null ? NotFound() : Page();
    }
}
