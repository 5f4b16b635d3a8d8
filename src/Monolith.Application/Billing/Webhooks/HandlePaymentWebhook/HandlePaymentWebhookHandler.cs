using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;

internal sealed class HandlePaymentWebhookHandler(IAppDbContext db, ProviderEventApplier applier, TimeProvider clock)
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

        var outcomes = new List<ProviderEventOutcome>();
        foreach (var providerEvent in webhook.Events)
        {
            var application = await applier.ApplyAsync(providerEvent, now, cancellationToken);
            outcomes.Add(application.Outcome);
        }

        var detail = outcomes.Count == 0 ? $"Event type {webhook.EventType} is not handled." : string.Join("; ", outcomes.Select(o => o.Detail));
        var marked = Summarize(outcomes) switch
        {
            ProviderEventDisposition.Applied => inbox.MarkApplied(now),
            ProviderEventDisposition.Parked => inbox.MarkParked(detail, now),
            ProviderEventDisposition.Failed => inbox.MarkFailed(detail, now),
            _ => inbox.MarkIgnored(detail, now),
        };
        if (marked.IsFailure)
        {
            return marked.Error;
        }

        return new HandlePaymentWebhookResult(inbox.Id, inbox.Status, Duplicate: false, detail);
    }

    /// <summary>A failure wins (ops must look), then a park (it waits for its link), then anything applied.</summary>
    internal static ProviderEventDisposition Summarize(List<ProviderEventOutcome> outcomes) =>
        outcomes.Count == 0 ? ProviderEventDisposition.Ignored
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Failed) ? ProviderEventDisposition.Failed
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Parked) ? ProviderEventDisposition.Parked
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Applied) ? ProviderEventDisposition.Applied
        : ProviderEventDisposition.Ignored;
}
