using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Audit.ListOpsAudit;
using Monolith.Application.Ops.Common;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Audit;

public sealed class AuditIndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] // "page" is the route value Razor Pages reserves for the page path
    public int PageNumber { get; set; } = 1;

    public OpsPage<OpsAuditRow> Entries { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var entries = await mediator.Send(new ListOpsAuditQuery(Action, Target, PageNumber), cancellationToken);
        if (entries.IsFailure)
        {
            return this.Problem(entries.Error!);
        }

        Entries = entries.Value;
        return Page();
    }

    public string PageLink(int page) =>
        $"/ops/audit?action={Uri.EscapeDataString(Action ?? "")}&target={Uri.EscapeDataString(Target ?? "")}&p={page}";
}
