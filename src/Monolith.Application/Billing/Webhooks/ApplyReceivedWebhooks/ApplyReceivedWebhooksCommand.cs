using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Billing.Webhooks.ApplyReceivedWebhooks;

/// <summary>
/// The background applier's unit of work: claims those of <paramref name="Ids"/> that are still received (and not
/// held by another instance), applies each through the same <see cref="InboxEventProcessor"/> as the inline path, in
/// received order, saving after each so the next one sees it — and commits once for the whole batch. A database error
/// rolls the whole batch back; the events stay received and the caller retries them one at a time.
/// </summary>
public sealed record ApplyReceivedWebhooksCommand(IReadOnlyCollection<Guid> Ids) : ICommand<ApplyReceivedWebhooksResult>, ISystemRequest
{
    public override string ToString() => $"{nameof(ApplyReceivedWebhooksCommand)} {{ {Ids.Count} events }}";
}

/// <param name="Outcomes">One per id that was still received and not held elsewhere (so was processed here).</param>
public sealed record ApplyReceivedWebhooksResult(IReadOnlyList<ProcessedWebhook> Outcomes)
{
    public int Claimed => Outcomes.Count;
}

/// <summary>What the applier made of one received event (counted in the metrics once the batch has committed).</summary>
public sealed record ProcessedWebhook(string Provider, WebhookEventStatus Status);

/// <summary>
/// Records an event the applier could not process at all (its processing threw something other than a database
/// error) as failed, in its own transaction, so it stops blocking the queue; the inbox retry job and ops see it.
/// </summary>
public sealed record FailReceivedWebhookCommand(Guid WebhookEventId, string Error) : ICommand<bool>, ISystemRequest;
