using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Webhooks.GetWebhookEvent;
using Monolith.Application.Ops.Webhooks.ReapplyWebhookEvent;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Webhooks;

public sealed class WebhookDetailsModel(IMediator mediator) : PageModel
{
    public WebhookEventDetail Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetWebhookEventQuery(id), cancellationToken);
        if (detail.IsFailure)
        {
            return this.Problem(detail.Error!);
        }

        Detail = detail.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostReapplyAsync(Guid id, CancellationToken cancellationToken)
    {
        var reapplied = await mediator.Send(new ReapplyWebhookEventCommand(id), cancellationToken);
        this.Flash(reapplied, reapplied.IsSuccess ? $"Re-applied: now {reapplied.Value.Status}. {reapplied.Value.Detail}" : string.Empty);
        return RedirectToPage(new { id });
    }
}
