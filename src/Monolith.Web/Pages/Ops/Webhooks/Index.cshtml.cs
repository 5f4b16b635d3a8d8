using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.Common;
using Monolith.Application.Ops.Webhooks.ListWebhookEvents;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Webhooks;

public sealed class WebhooksIndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? EventId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public WebhookEventStatus? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] // "page" is the route value Razor Pages reserves for the page path
    public int PageNumber { get; set; } = 1;

    public OpsPage<WebhookEventRow> Events { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var events = await mediator.Send(new ListWebhookEventsQuery(EventId, Type, Account, Status, PageNumber), cancellationToken);
        if (events.IsFailure)
        {
            return this.Problem(events.Error!);
        }

        Events = events.Value;
        return Page();
    }

    public string PageLink(int page) =>
        $"/ops/webhooks?eventId={Uri.EscapeDataString(EventId ?? "")}&type={Uri.EscapeDataString(Type ?? "")}" +
        $"&account={Uri.EscapeDataString(Account ?? "")}&status={Status}&p={page}";
}
