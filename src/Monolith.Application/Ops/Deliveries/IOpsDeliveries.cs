using Monolith.Application.Ops.Common;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Deliveries;

/// <summary>
/// Reads (and deletes) outbox deliveries for the ops pages. The deliveries belong to the outbox engine
/// (Infrastructure); this port exposes them as plain records. State-changing operations that the engine owns
/// (retry now, requeue) stay on <see cref="Application.Common.Outbox.IOutboxOperations"/>.
/// </summary>
public interface IOpsDeliveries
{
    Task<DeliveryCounts> CountAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>When each delivery that succeeded since <paramref name="since"/> completed (for the throughput chart).</summary>
    Task<IReadOnlyList<DateTimeOffset>> SucceededSinceAsync(DateTimeOffset since, CancellationToken ct);

    Task<OpsPage<DeliverySummary>> ListAsync(string? state, string? handler, int page, CancellationToken ct);

    /// <summary>Every handler name that has deliveries (for the filter).</summary>
    Task<IReadOnlyList<string>> HandlerNamesAsync(CancellationToken ct);

    Task<DeliveryDetail?> FindAsync(Guid id, CancellationToken ct);

    /// <summary>Deletes a delivery that no worker holds; returns what was deleted.</summary>
    Task<Result<DeliverySummary>> DeleteAsync(Guid id, CancellationToken ct);
}

/// <summary>The delivery states, as stored (docs/outbox.md).</summary>
public static class DeliveryStates
{
    public const string Pending = "Pending";
    public const string Processing = "Processing";
    public const string Failed = "Failed";
    public const string Succeeded = "Succeeded";
    public const string Dead = "Dead";

    /// <summary>Kept failing and is owned by its Hangfire job (<see cref="DeliverySummary.HangfireJobId"/>).</summary>
    public const string HandedOver = "HandedOver";

    /// <summary>Its Hangfire job was deleted on the dashboard.</summary>
    public const string Abandoned = "Abandoned";

    public static readonly IReadOnlyList<string> All = [Pending, Processing, Failed, Succeeded, Dead, HandedOver, Abandoned];
}

/// <param name="OldestPendingDueAt">The earliest due time among Pending/Failed deliveries that are due (null: none waiting).</param>
/// <param name="OldestUndispatchedAt">The oldest outbox message not yet fanned out into deliveries (null: none).</param>
public sealed record DeliveryCounts(
    int Pending, int Processing, int Failed, int Succeeded, int Dead, DateTimeOffset? OldestPendingDueAt, DateTimeOffset? OldestUndispatchedAt);

public sealed record DeliverySummary(
    Guid Id,
    Guid MessageId,
    string EventType,
    string Handler,
    string State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? LastError,
    string? HangfireJobId = null);

public sealed record DeliveryDetail(
    DeliverySummary Delivery,
    string? LockedBy,
    DateTimeOffset? LockedUntil,
    DateTimeOffset MessageOccurredAt,
    string Payload);
