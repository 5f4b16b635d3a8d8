using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Outbox;

/// <summary>Operator actions on deliveries. Each is one conditional UPDATE, so it cannot race a worker's claim.</summary>
internal sealed class OutboxOperations(AppDbContext db, TimeProvider clock, OutboxWakeup wakeup) : IOutboxOperations
{
    public async Task<Result> RequeueAsync(Guid deliveryId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var updated = await db.OutboxDeliveries
            .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.Dead)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, OutboxDeliveryState.Pending)
                .SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.CompletedAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LockedBy, (string?)null), ct);
        return await Outcome(deliveryId, updated, "requeued", ct);
    }

    public async Task<Result> RetryNowAsync(Guid deliveryId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var updated = await db.OutboxDeliveries
            .Where(d => d.Id == deliveryId && (d.State == OutboxDeliveryState.Pending || d.State == OutboxDeliveryState.Failed))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
        return await Outcome(deliveryId, updated, "retried now", ct);
    }

    private async Task<Result> Outcome(Guid deliveryId, int updated, string action, CancellationToken ct)
    {
        if (updated > 0)
        {
            wakeup.Deliveries.Pulse();
            return Result.Success();
        }

        var state = await db.OutboxDeliveries.Where(d => d.Id == deliveryId).Select(d => (OutboxDeliveryState?)d.State).FirstOrDefaultAsync(ct);
        return state is { } s ? OutboxErrors.DeliveryNotInState(action, s.ToString()) : OutboxErrors.DeliveryNotFound;
    }
}
