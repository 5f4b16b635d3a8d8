using Monolith.Domain.Common;

namespace Monolith.Application.Common.Outbox;

/// <summary>
/// Consumes one kind of domain event from the outbox, after the change that raised it committed. Each handler gets
/// its own delivery per message, runs in its own DI scope and transaction, and is run at most once per message
/// (a processed marker keyed by message and <see cref="Name"/> is written in that same transaction). Handlers do
/// not call SaveChanges: the outbox worker saves their changes together with the marker.
/// </summary>
public interface IOutboxHandler<in TEvent>
    where TEvent : IDomainEvent
{
    /// <summary>Stable name (part of the delivery and processed-marker keys): renaming it re-runs the handler for new messages only.</summary>
    string Name { get; }

    /// <summary>A failure (or an exception) is retried with backoff; after the maximum attempts the delivery is parked as dead.</summary>
    Task<Result> HandleAsync(TEvent e, OutboxContext ctx, CancellationToken ct);
}

/// <summary>What a handler knows about the delivery it runs for.</summary>
public sealed record OutboxContext(Guid MessageId, Guid DeliveryId, string HandlerName, int Attempt, DateTimeOffset MessageOccurredAt);
