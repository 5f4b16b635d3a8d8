using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Overview.GetOpsOverview;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops;

public sealed class OpsIndexModel(IMediator mediator) : PageModel
{
    public OpsOverview Overview { get; private set; } = null!;
    internal OpsChart Chart { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var overview = await mediator.Send(new GetOpsOverviewQuery(), cancellationToken);
        if (overview.IsFailure)
        {
            return this.Problem(overview.Error!);
        }

        Overview = overview.Value;
        Chart = new OpsChart(Overview.Hours);
        return Page();
    }
}
