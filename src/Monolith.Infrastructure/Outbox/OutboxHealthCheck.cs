using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Outbox;

/// <summary>When this instance's dispatcher and workers last finished a round (busy or idle).</summary>
internal sealed class OutboxHeartbeat
{
    private long _lastRoundTicks;

    public DateTimeOffset? LastRoundAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastRoundTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void Beat(DateTimeOffset at) => Interlocked.Exchange(ref _lastRoundTicks, at.UtcTicks);
}

/// <summary>
/// Readiness of the outbox (tag <c>ready</c>): the oldest due work — an undispatched message or a delivery whose
/// attempt is due — must be younger than <see cref="OutboxOptions.ReadyMaxLag"/>, and when this instance runs workers,
/// their loops must have completed a round recently (a hung loop stops beating). Instances with workers off only
/// report the shared lag.
/// </summary>
internal sealed class OutboxHealthCheck(AppDbContext db, OutboxHeartbeat heartbeat, IOptions<OutboxOptions> options, TimeProvider clock)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var oldestMessage = await OutboxLag.OldestUndispatchedAsync(db, cancellationToken);
        var oldestDue = await OutboxLag.OldestDueDeliveryAsync(db, now, cancellationToken);
        var lag = new[] { oldestMessage, oldestDue }.Where(t => t is not null).Select(t => now - t!.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
        var data = new Dictionary<string, object>
        {
            ["lagSeconds"] = Math.Round(Math.Max(0, lag.TotalSeconds), 3),
            ["workers"] = settings.Workers.Enabled,
        };

        if (lag > settings.ReadyMaxLag)
        {
            return HealthCheckResult.Unhealthy(
                $"The oldest due outbox work has waited {lag.TotalSeconds:0} s (limit {settings.ReadyMaxLag.TotalSeconds:0} s).", data: data);
        }

        if (settings.Workers.Enabled)
        {
            // Idle loops wake at least every poll interval; allow two of them plus slack for a slow round.
            var stale = settings.PollInterval * 2 + TimeSpan.FromSeconds(30);
            var last = heartbeat.LastRoundAt;
            if (last is not null && now - last.Value > stale)
            {
                return HealthCheckResult.Unhealthy($"The outbox workers have not completed a round for {(now - last.Value).TotalSeconds:0} s.", data: data);
            }

            data["lastRoundAt"] = last?.ToString("o") ?? "starting";
        }

        return HealthCheckResult.Healthy("Outbox dispatcher and workers are keeping up.", data);
    }
}
