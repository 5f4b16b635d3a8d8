namespace Monolith.Application.Common.Outbox;

/// <summary>A domain event captured in the same transaction as the change that raised it.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
        Type = Payload = string.Empty;
    }

    public OutboxMessage(Guid id, string type, string payload, DateTimeOffset occurredAt, DateTimeOffset createdAt)
    {
        Id = id;
        Type = type;
        Payload = payload;
        OccurredAt = occurredAt;
        CreatedAt = createdAt;
    }

    public const int TypeMaxLength = 200;

    public Guid Id { get; private set; }
    public string Type { get; private set; }
    public string Payload { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the dispatcher fanned the message out into one delivery per handler (null: not yet).</summary>
    public DateTimeOffset? DispatchedAt { get; private set; }

    public void MarkDispatched(DateTimeOffset at) => DispatchedAt ??= at;
}
