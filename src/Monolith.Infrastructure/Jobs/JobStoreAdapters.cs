using System.Text;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Retention.PruneRetention;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Jobs;

/// <summary>
/// Reads a stored inbox payload with the provider's own normalizer. The payload's signature was verified when it was
/// received (nothing unverified reaches the inbox), so it is not checked again — the signing secret may have rotated.
/// </summary>
internal sealed class WebhookInboxReplay(AppDbContext db, PlanCatalog catalog) : IWebhookInboxReplay
{
    public static readonly Error UnknownProvider =
        Error.Rule("billing.webhook.provider_unknown", "The stored event belongs to a provider this server cannot read.");

    public Result<IReadOnlyList<ProviderEvent>> ReadEvents(string provider, string payload)
    {
        var parsed = provider switch
        {
            BillingProvider.InMemory => new SimulatorEventNormalizer(catalog).Normalize(Encoding.UTF8.GetBytes(payload)),
            BillingProvider.Stripe => new StripeEventNormalizer(catalog).Normalize(payload),
            _ => UnknownProvider,
        };
        return parsed.IsFailure ? parsed.Error : Result<IReadOnlyList<ProviderEvent>>.Success(parsed.Value.Events ?? []);
    }

    public async Task ForgetParkedAsync(string provider, string providerEventId, CancellationToken cancellationToken)
    {
        await db.PendingProviderEvents.Where(r => r.Provider == provider && r.ProviderEventId == providerEventId).LoadAsync(cancellationToken);
        foreach (var row in db.PendingProviderEvents.Local
                     .Where(r => r.Provider == provider && r.ProviderEventId == providerEventId && db.Entry(r).State != EntityState.Deleted)
                     .ToList())
        {
            db.PendingProviderEvents.Remove(row);
        }
    }
}

/// <summary>Deletes completed outbox bookkeeping (see <see cref="IOutboxRetention"/>), in the caller's transaction.</summary>
internal sealed class OutboxRetention(AppDbContext db) : IOutboxRetention
{
    public async Task<(int Deliveries, int Markers, int Messages)> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var old = db.OutboxDeliveries.Where(d => d.State == OutboxDeliveryState.Succeeded && d.CompletedAt < before);
        // Markers go with their delivery: a marker whose delivery still exists (in any state) is kept.
        var markers = await db.OutboxProcessed
            .Where(m => old.Any(d => d.MessageId == m.MessageId && d.Handler == m.Handler))
            .ExecuteDeleteAsync(cancellationToken);
        var deliveries = await old.ExecuteDeleteAsync(cancellationToken);
        var messages = await db.OutboxMessages
            .Where(m => m.DispatchedAt != null && m.DispatchedAt < before && !db.OutboxDeliveries.Any(d => d.MessageId == m.Id))
            .ExecuteDeleteAsync(cancellationToken);
        return (deliveries, markers, messages);
    }
}
