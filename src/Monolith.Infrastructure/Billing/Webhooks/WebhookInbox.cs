using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Webhooks;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Monolith.Infrastructure.Billing.Webhooks;

/// <summary>In-process wake-up of the background applier when an event is received here.</summary>
internal sealed class WebhookApplierWakeup
{
    public AsyncSignal Received { get; } = new();
}

/// <summary>
/// <see cref="IWebhookInbox"/>: on PostgreSQL receiving is a single <c>INSERT … ON CONFLICT DO NOTHING</c> (no
/// transaction block, no change tracking) and claiming is <c>FOR UPDATE SKIP LOCKED</c>; SQLite (one writer, one
/// instance) goes through EF.
/// </summary>
internal sealed class WebhookInbox(AppDbContext db, WebhookApplierWakeup wakeup) : IWebhookInbox
{
    private const string InsertSql =
        "INSERT INTO billing_webhook_events (id, provider, provider_event_id, type, payload, received_at, status, error, attempts, processed_at, version) " +
        "VALUES (@id, @provider, @event_id, @type, @payload, @received_at, @status, @error, @attempts, @processed_at, @version) " +
        "ON CONFLICT (provider, provider_event_id) DO NOTHING";

    private const string ClaimSql =
        "SELECT id AS \"Value\" FROM billing_webhook_events WHERE id = ANY(@ids) AND status = 'Received' " +
        "ORDER BY received_at, id FOR UPDATE SKIP LOCKED";

    public async Task<WebhookInboxReceipt> ReceiveAsync(WebhookEvent received, CancellationToken cancellationToken)
    {
        received.ClearDomainEvents();
        var added = db.Database.IsNpgsql() ? await InsertAsync(received, cancellationToken) : await AddAsync(received, cancellationToken);
        if (added)
        {
            if (received.Status == WebhookEventStatus.Received)
            {
                wakeup.Received.Pulse();
            }

            return new WebhookInboxReceipt(received.Id, received.Status, Duplicate: false);
        }

        var known = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Provider == received.Provider && e.ProviderEventId == received.ProviderEventId)
            .Select(e => new { e.Id, e.Status })
            .SingleAsync(cancellationToken);
        return new WebhookInboxReceipt(known.Id, known.Status, Duplicate: true);
    }

    public async Task<IReadOnlyList<ReceivedWebhook>> PeekReceivedAsync(int max, CancellationToken cancellationToken) =>
        await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Status == WebhookEventStatus.Received)
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id)
            .Select(e => new ReceivedWebhook(e.Id, e.Provider, e.Payload)).Take(max)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> ClaimReceivedAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        if (db.Database.IsNpgsql())
        {
            return await db.Database
                .SqlQueryRaw<Guid>(ClaimSql, new NpgsqlParameter<Guid[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = [.. ids] })
                .ToListAsync(cancellationToken);
        }

        return await db.WebhookEvents.AsNoTracking()
            .Where(e => ids.Contains(e.Id) && e.Status == WebhookEventStatus.Received)
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
    }

    private async Task<bool> InsertAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var rows = await db.Database.ExecuteSqlRawAsync(InsertSql,
        [
            new NpgsqlParameter<Guid>("id", e.Id),
            new NpgsqlParameter<string>("provider", e.Provider),
            new NpgsqlParameter<string>("event_id", e.ProviderEventId),
            new NpgsqlParameter<string>("type", e.Type),
            new NpgsqlParameter<string>("payload", e.Payload),
            new NpgsqlParameter<DateTimeOffset>("received_at", e.ReceivedAt.ToUniversalTime()),
            new NpgsqlParameter<string>("status", e.Status.ToString()),
            new NpgsqlParameter("error", NpgsqlDbType.Varchar) { Value = (object?)e.Error ?? DBNull.Value },
            new NpgsqlParameter<int>("attempts", e.Attempts),
            new NpgsqlParameter("processed_at", NpgsqlDbType.TimestampTz) { Value = e.ProcessedAt is { } at ? at.ToUniversalTime() : DBNull.Value },
            new NpgsqlParameter<long>("version", e.Version),
        ], cancellationToken);
        return rows == 1;
    }

    private async Task<bool> AddAsync(WebhookEvent received, CancellationToken cancellationToken)
    {
        var entry = db.WebhookEvents.Add(received);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            entry.State = EntityState.Detached;
            return false;
        }
    }
}
