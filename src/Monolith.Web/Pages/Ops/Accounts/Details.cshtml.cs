using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Billing.Reconciliation.ReconcileAccount;
using Monolith.Application.Ops.BillingAccounts.GetBillingAccountDetails;
using Monolith.Application.Ops.Payments.IssueRefund;
using Monolith.Web.Ops;
using Monolith.Web.Pages.Billing;

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

    /// <summary>"Refund": an operator refunds part or all of a payment (audited; the form's key makes a double submit refund once).</summary>
    public async Task<IActionResult> OnPostIssueRefundAsync(
        Guid organizationId, Guid paymentId, long? amountMinor, string? reason, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(
            new IssueRefundCommand(paymentId, amountMinor, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), idempotencyKey), cancellationToken);
        this.Flash(result, result.IsSuccess
            ? string.Create(CultureInfo.InvariantCulture, $"Refund {result.Value.ProviderRefundId} of {MoneyFormat.Format(result.Value.AmountMinor, result.Value.Currency)} requested ({result.Value.Status}).")
            : string.Empty);
        return RedirectToPage(new { organizationId });
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
