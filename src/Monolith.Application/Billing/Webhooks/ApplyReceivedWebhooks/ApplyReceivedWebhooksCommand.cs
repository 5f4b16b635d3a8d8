using Monolith.Application.Common.Messaging;

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

/// <param name="Claimed">How many of the ids were still received and not held elsewhere (so were processed here).</param>
public sealed record ApplyReceivedWebhooksResult(int Claimed, int Applied, int Parked, int Ignored, int Failed);

/// <summary>
/// Records an event the applier could not process at all (its processing threw something other than a database
/// error) as failed, in its own transaction, so it stops blocking the queue; the inbox retry job and ops see it.
/// </summary>
public sealed record FailReceivedWebhookCommand(Guid WebhookEventId, string Error) : ICommand<bool>, ISystemRequest;
