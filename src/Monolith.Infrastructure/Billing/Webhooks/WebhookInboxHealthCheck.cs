using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing.Webhooks;

/// <summary>
/// Readiness of the webhook applier (tag <c>ready</c>, check <c>webhooks</c>): the oldest received, not yet applied
/// event must be younger than <see cref="WebhookOptions.ReadyMaxLag"/>. Reports the backlog and its age.
/// </summary>
internal sealed class WebhookInboxHealthCheck(AppDbContext db, IOptions<WebhookOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var received = db.WebhookEvents.AsNoTracking().Where(e => e.Status == WebhookEventStatus.Received);
        var backlog = await received.CountAsync(cancellationToken);
        var oldest = backlog == 0 ? (DateTimeOffset?)null
            : await received.OrderBy(e => e.ReceivedAt).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        var lag = oldest is null ? TimeSpan.Zero : clock.GetUtcNow() - oldest.Value;
        var data = new Dictionary<string, object>
        {
            ["backlog"] = backlog,
            ["lagSeconds"] = Math.Round(Math.Max(0, lag.TotalSeconds), 3),
            ["applier"] = options.Value.Applier.Enabled,
        };

        return lag > options.Value.ReadyMaxLag
            ? HealthCheckResult.Unhealthy(
                $"The oldest received webhook has waited {lag.TotalSeconds:0} s to be applied (limit {options.Value.ReadyMaxLag.TotalSeconds:0} s).", data: data)
            : HealthCheckResult.Healthy($"{backlog} received webhooks waiting to be applied.", data);
    }
}
