using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;
using Monolith.Application.Ops.Webhooks.ListWebhookEvents;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Webhooks.GetWebhookEvent;

internal sealed class GetWebhookEventHandler(IAppDbContext db) : IRequestHandler<GetWebhookEventQuery, Result<WebhookEventDetail>>
{
    public async Task<Result<WebhookEventDetail>> Handle(GetWebhookEventQuery request, CancellationToken cancellationToken)
    {
        var detail = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Id == request.WebhookEventId)
            .Select(e => new WebhookEventDetail(
                new WebhookEventRow(e.Id, e.Provider, e.ProviderEventId, e.Type, e.Status, e.ReceivedAt, e.ProcessedAt, e.Attempts, e.Error),
                e.Payload,
                false))
            .FirstOrDefaultAsync(cancellationToken);
        return detail is null
            ? OpsErrors.WebhookEventNotFound
            : detail with { CanReapply = WebhookEventTransitions.IsAllowed(detail.Event.Status, WebhookEventStatus.Applied) };
    }
}
