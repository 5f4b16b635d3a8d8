using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Deliveries.ListDeliveries;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Deliveries;

public sealed class DeliveriesIndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Handler { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] // "page" is the route value Razor Pages reserves for the page path
    public int PageNumber { get; set; } = 1;

    public DeliveryList List { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = string.IsNullOrWhiteSpace(State) ? null : State;
        var list = await mediator.Send(new ListDeliveriesQuery(state, Handler, PageNumber), cancellationToken);
        if (list.IsFailure)
        {
            return this.Problem(list.Error!);
        }

        List = list.Value;
        return Page();
    }

    public string PageLink(int page) =>
        $"/ops/deliveries?state={Uri.EscapeDataString(State ?? string.Empty)}&handler={Uri.EscapeDataString(Handler ?? string.Empty)}&p={page}";
}
