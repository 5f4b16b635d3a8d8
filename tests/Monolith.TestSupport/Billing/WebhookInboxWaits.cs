using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Persistence;

namespace Monolith.TestSupport.Billing;

/// <summary>
/// Webhooks are answered once they are durable in the inbox and applied right behind by the background applier
/// (docs/billing.md, "Webhooks"): a test that reads what a webhook changed first waits for the inbox to settle.
/// </summary>
public static class WebhookInboxWaits
{
    /// <summary>Waits until no inbox event is left in status Received (fails the test after <paramref name="timeout"/>, 30 s by default).</summary>
    public static async Task WebhooksAppliedAsync(this IServiceProvider services, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                if (!await db.WebhookEvents.AnyAsync(e => e.Status == WebhookEventStatus.Received))
                {
                    return;
                }
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Received webhooks were not applied within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s.");
            }

            await Task.Delay(20);
        }
    }
}
