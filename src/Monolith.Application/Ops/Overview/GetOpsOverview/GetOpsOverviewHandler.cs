using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Deliveries;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Overview.GetOpsOverview;

internal sealed class GetOpsOverviewHandler(IAppDbContext db, IOpsDeliveries deliveries, TimeProvider clock)
    : IRequestHandler<GetOpsOverviewQuery, Result<OpsOverview>>
{
    public const int HourCount = 24;

    public async Task<Result<OpsOverview>> Handle(GetOpsOverviewQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var currentHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var since = currentHour.AddHours(1 - HourCount);
        var dayAgo = now.AddHours(-24);

        var counts = await deliveries.CountAsync(now, cancellationToken);
        var waitingSince = new[] { counts.OldestPendingDueAt, counts.OldestUndispatchedAt }.Where(t => t is not null).Min();
        var lag = waitingSince is { } w && w < now ? now - w : TimeSpan.Zero;

        // Timestamps only (one column): bucketing by hour is done here because SQLite stores instants as ticks.
        var webhooks = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.ReceivedAt >= (since < dayAgo ? since : dayAgo))
            .Select(e => new { e.ReceivedAt, e.Status })
            .ToListAsync(cancellationToken);
        var succeeded = await deliveries.SucceededSinceAsync(since, cancellationToken);

        var byStatus = Enum.GetValues<WebhookEventStatus>()
            .Select(s => new StatusCount(s, webhooks.Count(e => e.Status == s && e.ReceivedAt >= dayAgo)))
            .ToList();
        var hours = Enumerable.Range(0, HourCount)
            .Select(i => since.AddHours(i))
            .Select(h => new HourlyThroughput(
                h,
                webhooks.Count(e => e.ReceivedAt >= h && e.ReceivedAt < h.AddHours(1)),
                succeeded.Count(t => t >= h && t < h.AddHours(1))))
            .ToList();
        return new OpsOverview(now, counts, lag, byStatus, hours);
    }
}
