using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;

internal sealed class HandlePaymentWebhookHandler(IAppDbContext db, InboxEventProcessor processor, TimeProvider clock)
    : IRequestHandler<HandlePaymentWebhookCommand, Result<HandlePaymentWebhookResult>>
{
    public async Task<Result<HandlePaymentWebhookResult>> Handle(HandlePaymentWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = request.Webhook;
        // Fast path for redeliveries; a concurrent duplicate is stopped by the unique (provider, event id) key at commit.
        var known = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Provider == request.Provider && e.ProviderEventId == webhook.EventId)
            .Select(e => new { e.Id, e.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (known is not null)
        {
            return new HandlePaymentWebhookResult(known.Id, known.Status, Duplicate: true, "Already received.");
        }

        var now = clock.GetUtcNow();
        var received = WebhookEvent.Receive(Guid.NewGuid(), request.Provider, webhook.EventId, webhook.EventType, request.Payload, now);
        if (received.IsFailure)
        {
            return received.Error;
        }

        var inbox = received.Value;
        db.WebhookEvents.Add(inbox);
        var processed = await processor.ProcessAsync(inbox, webhook.Events, now, cancellationToken);
        return processed.IsFailure
            ? processed.Error
            : new HandlePaymentWebhookResult(inbox.Id, inbox.Status, Duplicate: false, processed.Value);
    }
}
