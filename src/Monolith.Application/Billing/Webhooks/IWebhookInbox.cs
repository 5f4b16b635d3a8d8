using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Billing.Webhooks;

/// <summary>
/// The webhook inbox's two hot operations, written per database: receiving is one durable statement (the provider is
/// answered as soon as it commits), claiming locks received events for one applier (docs/billing.md, "Webhooks").
/// </summary>
public interface IWebhookInbox
{
    /// <summary>
    /// Adds <paramref name="received"/> in one atomic, durable statement unless its (provider, event id) is already in
    /// the inbox; its domain events are not written (nothing consumes "received"). Wakes this instance's appliers.
    /// </summary>
    Task<WebhookInboxReceipt> ReceiveAsync(WebhookEvent received, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> received events, oldest first, read without locking (what to try next).</summary>
    Task<IReadOnlyList<ReceivedWebhook>> PeekReceivedAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// In the caller's transaction: locks those of <paramref name="ids"/> that are still received and that no other
    /// transaction holds (skip-locked on PostgreSQL; SQLite has one writer), oldest first.
    /// </summary>
    Task<IReadOnlyList<Guid>> ClaimReceivedAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);
}

/// <summary>A received (not yet applied) inbox event, as the applier sees it before claiming it.</summary>
public sealed record ReceivedWebhook(Guid Id, string Provider, string Payload);

/// <param name="Duplicate">The (provider, event id) was already in the inbox: nothing was written.</param>
public sealed record WebhookInboxReceipt(Guid WebhookEventId, WebhookEventStatus Status, bool Duplicate);
