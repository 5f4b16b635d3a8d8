using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Deliveries;
using Monolith.Application.Ops.Deliveries.GetDelivery;
using Monolith.Application.Ops.Deliveries.RequeueDelivery;
using Monolith.Application.Ops.Deliveries.RetryDelivery;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Deliveries;

public sealed class DeliveryDetailsModel(IMediator mediator) : PageModel
{
    public DeliveryDetail Detail { get; private set; } = null!;

    public bool CanRetry => Detail.Delivery.State is DeliveryStates.Pending or DeliveryStates.Failed;
    public bool CanRequeue => Detail.Delivery.State == DeliveryStates.Dead;
    public bool CanDelete => Detail.Delivery.State != DeliveryStates.Processing;

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

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        this.Flash(await mediator.Send(new RetryDeliveryCommand(id), cancellationToken), "The delivery is due now; a worker picks it up shortly.");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRequeueAsync(Guid id, CancellationToken cancellationToken)
    {
        this.Flash(await mediator.Send(new RequeueDeliveryCommand(id), cancellationToken), "The delivery was requeued with its attempts reset.");
        return RedirectToPage(new { id });
    }
}
