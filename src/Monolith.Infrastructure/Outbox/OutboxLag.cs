using Microsoft.EntityFrameworkCore;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Outbox;

/// <summary>
/// What "outbox lag" measures, in one place for readiness and the ops dashboard: the oldest work that is waiting —
/// a message not yet fanned out, or a Pending/Failed delivery whose attempt is due. Dead deliveries are parked for ops,
/// and a Failed one still in its backoff is not due, so neither counts.
/// </summary>
internal static class OutboxLag
{
    public static Task<DateTimeOffset?> OldestDueDeliveryAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct) =>
        db.OutboxDeliveries.AsNoTracking()
            .Where(d => (d.State == OutboxDeliveryState.Pending || d.State == OutboxDeliveryState.Failed) && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => (DateTimeOffset?)d.NextAttemptAt)
            .FirstOrDefaultAsync(ct);

    public static Task<DateTimeOffset?> OldestUndispatchedAsync(AppDbContext db, CancellationToken ct) =>
        db.OutboxMessages.AsNoTracking()
            .Where(m => m.DispatchedAt == null)
            .OrderBy(m => m.CreatedAt)
            .Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(ct);
}
