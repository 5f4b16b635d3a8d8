using Monolith.Domain.Billing.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Web.Pages.Simulator;

/// <summary>The simulator's customer portal: cancel at period end or resume, change the card, return to the app.</summary>
public sealed class PortalModel(SimulatorState state, PlanCatalog catalog) : PageModel
{
    /// <summary>The catalogue's plan name for a simulator price id (the simulator's "product name").</summary>
    public string PlanName(string providerPriceId) =>
        catalog.FindByProviderPriceId(Monolith.Domain.Billing.BillingProvider.InMemory, providerPriceId) is { IsSuccess: true } price
        && catalog.FindPlan(price.Value.PlanId) is { IsSuccess: true } plan ? plan.Value.Name : "Subscription";

    public SimulatorCustomerView? Customer { get; private set; }

    public Uri? ReturnUrl { get; private set; }

    public IActionResult OnGet(string portalSessionId)
    {
        if (state.FindPortalSession(portalSessionId) is not { } portal)
        {
            return NotFound();
        }

        Customer = state.FindCustomer(portal.CustomerId);
        ReturnUrl = portal.ReturnUrl;
        return Customer is null ? NotFound() : Page();
    }

    public IActionResult OnPostCancel(string portalSessionId, string subscriptionId, bool cancel)
    {
        if (Owns(portalSessionId, subscriptionId))
        {
            state.SetCancelAtPeriodEnd(subscriptionId, cancel);
        }

        return RedirectToPage(new { portalSessionId });
    }

    public IActionResult OnPostCard(string portalSessionId, CardOutcome outcome)
    {
        if (state.FindPortalSession(portalSessionId) is { } portal)
        {
            state.SetDefaultCardOutcome(portal.CustomerId, outcome);
        }

        return RedirectToPage(new { portalSessionId });
    }

    private bool Owns(string portalSessionId, string subscriptionId) =>
        state.FindPortalSession(portalSessionId) is { } portal &&
        state.FindCustomer(portal.CustomerId)?.Subscriptions.Any(s => s.Id == subscriptionId) == true;
}
