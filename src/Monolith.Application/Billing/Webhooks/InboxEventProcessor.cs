using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks;

/// <summary>
/// Applies one inbox event's normalized events through the <see cref="ProviderEventApplier"/> and records the outcome
/// on the inbox row — the step shared by the inline webhook path and the background applier. It never saves.
/// </summary>
public sealed class InboxEventProcessor(ProviderEventApplier applier)
{
    /// <returns>The detail recorded on the row (what was applied, parked, failed or ignored).</returns>
    public async Task<Result<string>> ProcessAsync(
        WebhookEvent inbox, IReadOnlyList<ProviderEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcomes = new List<ProviderEventOutcome>(events.Count);
        foreach (var providerEvent in events)
        {
            var application = await applier.ApplyAsync(providerEvent, now, cancellationToken);
            outcomes.Add(application.Outcome);
        }

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

    /// <summary>A failure wins (ops must look), then a park (it waits for its link), then anything applied.</summary>
    internal static ProviderEventDisposition Summarize(List<ProviderEventOutcome> outcomes) =>
        outcomes.Count == 0 ? ProviderEventDisposition.Ignored
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Failed) ? ProviderEventDisposition.Failed
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Parked) ? ProviderEventDisposition.Parked
        : outcomes.Any(o => o.Disposition == ProviderEventDisposition.Applied) ? ProviderEventDisposition.Applied
        : ProviderEventDisposition.Ignored;
}
