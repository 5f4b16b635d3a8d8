using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.BillingAccounts.GetBillingAccountDetails;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Accounts;

public sealed class AccountDetailsModel(IMediator mediator) : PageModel
{
    public BillingAccountDetails Details { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var details = await mediator.Send(new GetBillingAccountDetailsQuery(organizationId), cancellationToken);
        if (details.IsFailure)
        {
            return this.Problem(details.Error!);
        }

        Details = details.Value;
        return Page();
    }

    // ── RECONCILE NOW: wiring point for the lead ─────────────────────────────────────────────────────────────────
    // The jobs work builds ReconcileAccountCommand (IOpsRequest, audited). Replace the body with:
    //     var result = await mediator.Send(new ReconcileAccountCommand(organizationId), cancellationToken);
    //     this.Flash(result, "Reconciliation ran: …");
    // The form on the page already posts here with its antiforgery token.
    public IActionResult OnPostReconcile(Guid organizationId)
    {
        TempData[OpsPageResults.ErrorKey] = "Reconciliation is not available in this build yet.";
        return RedirectToPage(new { organizationId });
    }
}
