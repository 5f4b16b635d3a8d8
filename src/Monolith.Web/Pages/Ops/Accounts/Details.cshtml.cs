using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Billing.Reconciliation.ReconcileAccount;
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

    /// <summary>"Reconcile now": re-fetch this organisation's open billing objects from the provider (audited).</summary>
    public async Task<IActionResult> OnPostReconcileAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ReconcileAccountCommand(organizationId), cancellationToken);
        this.Flash(result, result.IsSuccess
            ? $"Reconciliation checked {result.Value.Checked} object(s) and wrote {result.Value.DriftReportIds.Count} drift report(s)."
            : string.Empty);
        return RedirectToPage(new { organizationId });
    }
}
