using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks.RetryWebhookEvent;

/// <summary>
/// Applies a parked or failed inbox event again, from its stored (already verified) payload, through the same applier
/// as the webhook. If it is still parked / fails again the command fails with <c>billing.webhook.retry_unchanged</c>
/// and rolls back, so a retry that cannot progress changes nothing (no churn, no new attempts counted).
/// Events in any other status are left alone (success, not changed).
/// </summary>
public sealed record RetryWebhookEventCommand(Guid WebhookEventId) : ICommand<RetryWebhookEventResult>, ISystemRequest;

public sealed record RetryWebhookEventResult(WebhookEventStatus Status, bool Changed, string Detail);

/// <summary>Re-reads a stored inbox payload and forgets parked copies of an event that has now been applied.</summary>
public interface IWebhookInboxReplay
{
    /// <summary>The normalized events of a payload that was verified when it was received (no signature check again).</summary>
    Result<IReadOnlyList<ProviderEvent>> ReadEvents(string provider, string payload);

    /// <summary>Removes the parked rows of one provider event (after it was applied by this retry).</summary>
    Task ForgetParkedAsync(string provider, string providerEventId, CancellationToken cancellationToken);
}

internal sealed class RetryWebhookEventHandler(IAppDbContext db, IWebhookInboxReplay replay, ProviderEventApplier applier, TimeProvider clock)
    : IRequestHandler<RetryWebhookEventCommand, Result<RetryWebhookEventResult>>
{
    public static readonly Error NotFound = Error.NotFound("billing.webhook.event_not_found", "Webhook event not found.");

    public static readonly Error Unchanged =
        Error.Conflict("billing.webhook.retry_unchanged", "The event still cannot be applied; it stays as it was.");

    public async Task<Result<RetryWebhookEventResult>> Handle(RetryWebhookEventCommand request, CancellationToken cancellationToken)
    {
        var inbox = await db.WebhookEvents.FirstOrDefaultAsync(e => e.Id == request.WebhookEventId, cancellationToken);
        if (inbox is null)
        {
            return NotFound;
        }

        if (inbox.Status is not (WebhookEventStatus.Parked or WebhookEventStatus.Failed))
        {
            return new RetryWebhookEventResult(inbox.Status, Changed: false, "Nothing to retry.");
        }

        var events = replay.ReadEvents(inbox.Provider, inbox.Payload);
        if (events.IsFailure)
        {
            return events.Error;
        }

        var now = clock.GetUtcNow();
        var outcomes = new List<ProviderEventOutcome>();
        foreach (var providerEvent in events.Value)
        {
            var outcome = (await applier.ApplyAsync(providerEvent, now, cancellationToken)).Outcome;
            outcomes.Add(outcome);
            if (outcome.Disposition is ProviderEventDisposition.Applied or ProviderEventDisposition.Ignored)
            {
                await replay.ForgetParkedAsync(providerEvent.Provider, providerEvent.ProviderEventId, cancellationToken);
            }
        }

        var detail = string.Join("; ", outcomes.Select(o => o.Detail));
        var marked = outcomes switch
        {
            _ when outcomes.Any(o => o.Disposition is ProviderEventDisposition.Failed or ProviderEventDisposition.Parked) => Unchanged,
            _ when outcomes.Any(o => o.Disposition == ProviderEventDisposition.Applied) => inbox.MarkApplied(now),
            _ => inbox.MarkIgnored(detail.Length == 0 ? "No events." : detail, now),
        };
        return marked.IsFailure ? marked.Error : new RetryWebhookEventResult(inbox.Status, Changed: true, detail);
    }
}
