using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Billing.Checkout.GetCheckoutStatus;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Web.Common;

namespace Monolith.Web.Pages.Billing;

/// <summary>Only reads what the webhooks wrote; it never grants anything. Refreshes (no JavaScript needed) until confirmed.</summary>
[Authorize]
public sealed class CheckoutSuccessModel(IMediator mediator, PlanCatalog catalog) : PageModel
{
    public bool Confirmed { get; private set; }
    public bool SessionNotFound { get; private set; }
    public string? Summary { get; private set; }

    public async Task OnGetAsync(string? session_id, CancellationToken cancellationToken)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        if (string.IsNullOrWhiteSpace(session_id) || organization.IsFailure)
        {
            SessionNotFound = true;
            return;
        }

        var status = await mediator.Send(new GetCheckoutStatusQuery(organization.Value, session_id), cancellationToken);
        if (status.IsFailure)
        {
            SessionNotFound = true;
            return;
        }

        Confirmed = status.Value.Confirmed;
        var plan = catalog.FindPrice(status.Value.PriceId) is { IsSuccess: true } price && catalog.FindPlan(price.Value.PlanId) is { IsSuccess: true } p
            ? p.Value.Name
            : status.Value.PriceId;
        Summary = status.Value switch
        {
            { Confirmed: true, Mode: CheckoutMode.Payment } => $"Payment received for {plan}.",
            { Confirmed: true } => $"Your {plan} plan is {status.Value.SubscriptionStatus.ToString()!.ToLowerInvariant()}.",
            { PaymentStatus: PaymentStatus.Failed } => "The payment failed. Nothing was charged; you can try again from the pricing page.",
            _ => null,
        };
    }
}
