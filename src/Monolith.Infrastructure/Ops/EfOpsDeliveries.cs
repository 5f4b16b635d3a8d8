using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Common;
using Monolith.Application.Ops.Deliveries;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Ops;

/// <summary>Ops reads over <c>outbox_deliveries</c> (no tracking) and the one delete the dashboard may do.</summary>
internal sealed class EfOpsDeliveries(AppDbContext db) : IOpsDeliveries
{
    public async Task<DeliveryCounts> CountAsync(DateTimeOffset now, CancellationToken ct)
    {
        var byState = await db.OutboxDeliveries.AsNoTracking()
            .GroupBy(d => d.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, ct);
        var oldestPending = await OutboxLag.OldestDueDeliveryAsync(db, now, ct);
        var oldestUndispatched = await OutboxLag.OldestUndispatchedAsync(db, ct);
        int Of(OutboxDeliveryState s) => byState.GetValueOrDefault(s);
        return new DeliveryCounts(
            Of(OutboxDeliveryState.Pending), Of(OutboxDeliveryState.Processing), Of(OutboxDeliveryState.Failed),
            Of(OutboxDeliveryState.Succeeded), Of(OutboxDeliveryState.Dead), oldestPending, oldestUndispatched);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> SucceededSinceAsync(DateTimeOffset since, CancellationToken ct) =>
        await db.OutboxDeliveries.AsNoTracking()
            .Where(d => d.State == OutboxDeliveryState.Succeeded && d.CompletedAt >= since)
            .Select(d => d.CompletedAt!.Value)
            .ToListAsync(ct);

    public async Task<OpsPage<DeliverySummary>> ListAsync(string? state, string? handler, int page, CancellationToken ct)
    {
        var query = db.OutboxDeliveries.AsNoTracking();
        if (state is not null && Enum.TryParse<OutboxDeliveryState>(state, ignoreCase: false, out var parsed))
        {
            query = query.Where(d => d.State == parsed);
        }

        if (handler is not null)
        {
            query = query.Where(d => d.Handler == handler);
        }

        var size = OpsPage<DeliverySummary>.DefaultSize;
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Skip(OpsPage<DeliverySummary>.Skip(page, size)).Take(size)
            .ToListAsync(ct);
        return new OpsPage<DeliverySummary>(rows.Select(Summary).ToList(), Math.Max(page, 1), size, total);
    }

    public async Task<IReadOnlyList<string>> HandlerNamesAsync(CancellationToken ct) =>
        await db.OutboxDeliveries.AsNoTracking().Select(d => d.Handler).Distinct().OrderBy(h => h).ToListAsync(ct);

    public async Task<DeliveryDetail?> FindAsync(Guid id, CancellationToken ct)
    {
        var row = await (
                from d in db.OutboxDeliveries.AsNoTracking()
                join m in db.OutboxMessages.AsNoTracking() on d.MessageId equals m.Id
                where d.Id == id
                select new { Delivery = d, m.OccurredAt, m.Payload })
            .FirstOrDefaultAsync(ct);
        return row is null
            ? null
            : new DeliveryDetail(Summary(row.Delivery), row.Delivery.LockedBy, row.Delivery.LockedUntil, row.OccurredAt, row.Payload);
    }

    public async Task<Result<DeliverySummary>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var delivery = await db.OutboxDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null)
        {
            return OutboxErrors.DeliveryNotFound;
        }

        // Conditional, like the engine's own updates: a worker that claimed it in between keeps it.
        var deleted = await db.OutboxDeliveries
            .Where(d => d.Id == id && d.State != OutboxDeliveryState.Processing)
            .ExecuteDeleteAsync(ct);
        return deleted == 0 ? OpsErrors.DeliveryProcessing : Summary(delivery);
    }

    private static DeliverySummary Summary(OutboxDelivery d) => new(
        d.Id, d.MessageId, d.EventType, d.Handler, d.State.ToString(), d.Attempts, d.NextAttemptAt, d.CreatedAt, d.CompletedAt, d.LastError, d.HangfireJobId);
}
