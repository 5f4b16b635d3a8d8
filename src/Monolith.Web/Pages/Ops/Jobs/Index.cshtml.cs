using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Common.Jobs;
using Monolith.Application.Ops.Jobs.ListRecurringJobs;
using Monolith.Application.Ops.Jobs.TriggerRecurringJob;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Jobs;

public sealed class JobsIndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<RecurringJobInfo> Jobs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var jobs = await mediator.Send(new ListRecurringJobsQuery(), cancellationToken);
        if (jobs.IsFailure)
        {
            return this.Problem(jobs.Error!);
        }

        Jobs = jobs.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostTriggerAsync(string name, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new TriggerRecurringJobCommand(name), cancellationToken);
        this.Flash(result, $"Job {name} was triggered; its outcome shows here once it has run.");
        return RedirectToPage();
    }
}
