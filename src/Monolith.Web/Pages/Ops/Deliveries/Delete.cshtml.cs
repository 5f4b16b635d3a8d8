using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Deliveries;
using Monolith.Application.Ops.Deliveries.DeleteDelivery;
using Monolith.Application.Ops.Deliveries.GetDelivery;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Deliveries;

/// <summary>The confirmation step of a delete: a page of its own (no script), then a POST.</summary>
public sealed class DeleteDeliveryModel(IMediator mediator) : PageModel
{
    public DeliveryDetail Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetDeliveryQuery(id), cancellationToken);
        if (detail.IsFailure)
        {
            return this.Problem(detail.Error!);
        }

        Detail = detail.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var deleted = await mediator.Send(new DeleteDeliveryCommand(id), cancellationToken);
        this.Flash(deleted, "The delivery was deleted; its handler will not run for that message.");
        return deleted.IsSuccess ? Redirect("/ops/deliveries") : RedirectToPage("Details", new { id });
    }
}
