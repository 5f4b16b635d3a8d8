using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
/// The receive path's own PostgreSQL data source (same connection string as EF): the one INSERT of a webhook runs
/// without a DbContext connection, EF command pipeline or change tracking (11% more webhooks/s in the storm's
/// receive-only run, docs/benchmarks.md). Created on first use; disposed with the host.
/// </summary>
internal sealed class WebhookInboxDataSource(IOptions<DatabaseOptions> options) : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(options.Value.PostgresConnectionString!));

    public NpgsqlDataSource Source => _source.Value;

    public void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Dispose();
        }
    }
}

/// <summary>
/// <see cref="IWebhookInbox"/>: on PostgreSQL receiving is a single <c>INSERT … ON CONFLICT DO NOTHING</c> (no
/// transaction block, no change tracking) and claiming is <c>FOR UPDATE SKIP LOCKED</c>; SQLite (one writer, one
/// instance) goes through EF.
/// </summary>
internal sealed class WebhookInbox(AppDbContext db, WebhookInboxDataSource source, WebhookApplierWakeup wakeup) : IWebhookInbox
{
    private const string InsertSql =
        "INSERT INTO billing_webhook_events (id, provider, provider_event_id, type, payload, received_at, status, error, attempts, processed_at, version) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) " +
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
        await using var insert = source.Source.CreateCommand(InsertSql);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.Id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Provider });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.ProviderEventId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Payload });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = e.ReceivedAt.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Status.ToString() });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)e.Error ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.Attempts });
        insert.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = e.ProcessedAt is { } processedAt ? processedAt.ToUniversalTime() : DBNull.Value,
        });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Version });
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
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
