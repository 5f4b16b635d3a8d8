using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Webhooks;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Audit;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Webhooks.ReapplyWebhookEvent;

internal sealed class ReapplyWebhookEventHandler(
    IAppDbContext db, IStoredWebhookParser parser, ProviderEventApplier applier, OpsAuditTrail audit, TimeProvider clock)
    : IRequestHandler<ReapplyWebhookEventCommand, Result<WebhookReapplied>>
{
    public async Task<Result<WebhookReapplied>> Handle(ReapplyWebhookEventCommand request, CancellationToken cancellationToken)
    {
        var inbox = await db.WebhookEvents.FirstOrDefaultAsync(e => e.Id == request.WebhookEventId, cancellationToken);
        if (inbox is null)
        {
            return OpsErrors.WebhookEventNotFound;
        }

        if (!WebhookEventTransitions.IsAllowed(inbox.Status, WebhookEventStatus.Applied))
        {
            return OpsErrors.WebhookEventFinal(inbox.Status.ToString());
        }

        var parsed = parser.Parse(inbox.Provider, inbox.Payload);
        if (parsed.IsFailure)
        {
            return parsed.Error!;
        }

        var now = clock.GetUtcNow();
        var outcomes = new List<ProviderEventOutcome>();
        foreach (var providerEvent in parsed.Value.Events ?? [])
        {
            outcomes.Add((await applier.ApplyAsync(providerEvent, now, cancellationToken)).Outcome);
        }

        var previous = inbox.Status;
        var detail = outcomes.Count == 0 ? $"Event type {inbox.Type} is not handled." : string.Join("; ", outcomes.Select(o => o.Detail));
        var disposition = InboxEventProcessor.Summarize(outcomes);
        if (disposition == ProviderEventDisposition.Parked && previous == WebhookEventStatus.Parked)
        {
            return OpsErrors.WebhookStillParked(detail);
        }

        var marked = disposition switch
        {
            ProviderEventDisposition.Applied => inbox.MarkApplied(now),
            ProviderEventDisposition.Parked => inbox.MarkParked(detail, now),
            ProviderEventDisposition.Failed => inbox.MarkFailed(detail, now),
            _ => inbox.MarkIgnored(detail, now),
        };
        if (marked.IsFailure)
        {
            return marked.Error!;
        }

        await audit.RecordAsync(OpsActions.WebhookReapply, "webhook_event", inbox.Id.ToString(),
            $"{inbox.Provider} {inbox.ProviderEventId}: {previous} → {inbox.Status}; {detail}", cancellationToken);
        return new WebhookReapplied(inbox.Id, inbox.Status, detail);
    }
}
