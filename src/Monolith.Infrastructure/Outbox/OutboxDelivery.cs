namespace Monolith.Infrastructure.Outbox;

/// <summary>Where one delivery of one message to one handler stands (stored as the name, e.g. <c>Processing</c>).</summary>
public enum OutboxDeliveryState
{
    /// <summary>Waiting for its first attempt (or requeued by an operator).</summary>
    Pending,

    /// <summary>Claimed by a worker until <see cref="OutboxDelivery.LockedUntil"/> (the lease).</summary>
    Processing,

    /// <summary>The last attempt failed; due again at <see cref="OutboxDelivery.NextAttemptAt"/>.</summary>
    Failed,

    Succeeded,

    /// <summary>Parked after the maximum attempts; kept for operators, never dropped.</summary>
    Dead,

    /// <summary>
    /// Kept failing and was handed over to one Hangfire job (<see cref="OutboxDelivery.HangfireJobId"/>): the relay never
    /// claims it again; the job's retries own it, and its success marks it <see cref="Succeeded"/>.
    /// </summary>
    HandedOver,

    /// <summary>Its Hangfire job was deleted on the dashboard; kept, never dropped (requeueing the job takes it back).</summary>
    Abandoned,
}

/// <summary>One row per (outbox message × handler): the unit the workers claim, retry and park.</summary>
public sealed class OutboxDelivery
{
    public const int HandlerMaxLength = 200;
    public const int LockedByMaxLength = 200;
    public const int LastErrorMaxLength = 1000;
    public const int HangfireJobIdMaxLength = 64;

    private OutboxDelivery()
    {
        Handler = EventType = string.Empty;
    }

    public OutboxDelivery(Guid id, Guid messageId, string eventType, string handler, DateTimeOffset createdAt)
    {
        Id = id;
        MessageId = messageId;
        EventType = eventType;
        Handler = handler;
        State = OutboxDeliveryState.Pending;
        NextAttemptAt = createdAt;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid MessageId { get; private set; }

    /// <summary>The message's event type (copied so a worker needs no join to route it).</summary>
    public string EventType { get; private set; }

    /// <summary>The handler's stable <c>Name</c>.</summary>
    public string Handler { get; private set; }

    public OutboxDeliveryState State { get; private set; }

    /// <summary>Attempts started so far (counted when claimed, so a crash mid-attempt counts too).</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public string? LockedBy { get; private set; }

    /// <summary>The last failure's error code or exception type and message, truncated; never the payload.</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The Hangfire job it was handed over to (null until then, and briefly while the job is being created).</summary>
    public string? HangfireJobId { get; private set; }

    /// <summary>When it succeeded, was parked as dead, or was abandoned.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }
}

/// <summary>
/// "This handler has processed this message": written in the handler's own transaction together with its changes,
/// so a re-run (a retry after a crash, a second worker after a lost lease) is a no-op. Primary key (message, handler).
/// </summary>
public sealed class OutboxProcessedMarker
{
    private OutboxProcessedMarker()
    {
        Handler = string.Empty;
    }

    public OutboxProcessedMarker(Guid messageId, string handler, DateTimeOffset processedAt)
    {
        MessageId = messageId;
        Handler = handler;
        ProcessedAt = processedAt;
    }

    public Guid MessageId { get; private set; }
    public string Handler { get; private set; }
    public DateTimeOffset ProcessedAt { get; private set; }
}
