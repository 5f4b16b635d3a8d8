using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Billing.Reconciliation.ListDriftReports;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Drift;

public sealed class DriftIndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Account { get; set; }

    public IReadOnlyList<DriftReportItem> Reports { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var reports = await mediator.Send(new ListDriftReportsQuery(Account, 200), cancellationToken);
        if (reports.IsFailure)
        {
            return this.Problem(reports.Error!);
        }

        Reports = reports.Value;
        return Page();
    }
}
