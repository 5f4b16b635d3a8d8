using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Billing.Entitlements.CheckEntitlement;
using Monolith.Web.Common;

namespace Monolith.Web.Pages.Features;

/// <summary>How app code gates a feature: ask CheckEntitlement (served from the in-process entitlement cache).</summary>
[Authorize]
public sealed class ReportsModel(IMediator mediator) : PageModel
{
    public bool Allowed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        Allowed = organization.IsSuccess
                  && await mediator.Send(new CheckEntitlementQuery(organization.Value, "reports"), cancellationToken) is { IsSuccess: true } check
                  && check.Value.Allowed;
        if (!Allowed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }
}
