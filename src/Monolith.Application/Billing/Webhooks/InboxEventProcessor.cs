using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks;

/// <summary>
/// Applies one inbox event's normalized events through the <see cref="ProviderEventApplier"/> and records the outcome
/// on the inbox row — the step shared by the inline webhook path and the background applier. It never saves.
/// </summary>
public sealed class InboxEventProcessor(ProviderEventApplier applier, IBillingFactsStore store, IAppDbContext db, IWebhookInboxReplay replay)
{
    /// <param name="events">The event's normalized facts, or null to read them from the row's stored payload.</param>
    /// <returns>
    /// The detail recorded on the row (what was applied, parked, failed or ignored). A payload that cannot be read
    /// marks the row failed; one of an API version the provider's reader refuses marks it parked with the reason.
    /// </returns>
    public async Task<Result<string>> ProcessAsync(
        WebhookEvent inbox, IReadOnlyList<ProviderEvent>? events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (events is null)
        {
            var read = replay.ReadEvents(inbox.Provider, inbox.Payload);
            if (read.IsFailure)
            {
                var unread = read.Error.Code == PaymentsErrors.ApiVersionUnsupportedCode
                    ? inbox.MarkParked(read.Error.Message, now)
                    : inbox.MarkFailed(read.Error.Message, now);
                return unread.IsFailure ? unread.Error : read.Error.Message;
            }

            events = read.Value;
        }

        var outcomes = new List<ProviderEventOutcome>(events.Count);
        var replayed = new List<ProviderEventOutcome>();
        foreach (var providerEvent in events)
        {
            var application = await applier.ApplyAsync(providerEvent, now, cancellationToken);
            outcomes.Add(application.Outcome);
            replayed.AddRange(application.Replayed);
        }

        await SettleReplayedAsync(replayed, now, cancellationToken);

        var detail = outcomes.Count == 0 ? $"Event type {inbox.Type} is not handled." : string.Join("; ", outcomes.Select(o => o.Detail));
        var marked = Summarize(outcomes) switch
        {
            ProviderEventDisposition.Applied => inbox.MarkApplied(now),
            ProviderEventDisposition.Parked => inbox.MarkParked(detail, now),
            ProviderEventDisposition.Failed => inbox.MarkFailed(detail, now),
            _ => inbox.MarkIgnored(detail, now),
        };
        return marked.IsFailure ? marked.Error : detail;
    }

    /// <summary>
    /// This event released parked ones (e.g. a checkout completion linked their customer) and the applier replayed
    /// them: their inbox rows leave <c>Parked</c> once nothing of theirs waits any more — applied when a replay changed
    /// something, else ignored (already reflected).
    /// </summary>
    private async Task SettleReplayedAsync(List<ProviderEventOutcome> replayed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var done in replayed
                     .Where(o => o.Disposition is ProviderEventDisposition.Applied or ProviderEventDisposition.Ignored)
                     .GroupBy(o => (o.Provider, o.ProviderEventId)))
        {
            var (provider, eventId) = done.Key;
            if (replayed.Any(o => o.Provider == provider && o.ProviderEventId == eventId && o.Disposition is ProviderEventDisposition.Parked or ProviderEventDisposition.Failed)
                || await store.IsPendingAsync(provider, eventId, cancellationToken))
            {
                continue;
            }

            var rows = await db.WebhookEvents
                .Where(e => e.Provider == provider && e.ProviderEventId == eventId && e.Status == WebhookEventStatus.Parked)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                _ = done.Any(o => o.Disposition == ProviderEventDisposition.Applied)
                    ? row.MarkApplied(now)
                    : row.MarkIgnored("Replayed once its link arrived; already reflected.", now);
            }
        }
    }

    /// <summary>A failure wins (ops must look), then a park (it waits for its link), then anything applied.</summary>
    internal static ProviderEventDisposition Summarize(List<ProviderEventOutcome> outcomes) =>
        outcomes.Count == 0 ? ProviderEventDisposition.Ignored
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Failed) ? ProviderEventDisposition.Failed
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Parked) ? ProviderEventDisposition.Parked
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Applied) ? ProviderEventDisposition.Applied
        : ProviderEventDisposition.Ignored;
}
