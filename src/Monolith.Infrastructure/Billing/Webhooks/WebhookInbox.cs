using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
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
/// <see cref="IWebhookInbox"/>: receiving is a single <c>INSERT … ON CONFLICT DO NOTHING</c> (no transaction block, no
/// change tracking), so a duplicate delivery — normal traffic — is no database error and logs none; on PostgreSQL it
/// runs on its own data source, on SQLite through the DbContext's connection with the model's column mappings.
/// Claiming is <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL; SQLite (one writer, one instance) reads through EF.
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
        var added = db.Database.IsNpgsql() ? await InsertAsync(received, cancellationToken) : await InsertThroughModelAsync(received, cancellationToken);
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

    /// <summary>The same INSERT … ON CONFLICT DO NOTHING built from the EF model (column names, value conversions such as UTC ticks).</summary>
    private async Task<bool> InsertThroughModelAsync(WebhookEvent received, CancellationToken cancellationToken)
    {
        var entityType = db.Model.FindEntityType(typeof(WebhookEvent))!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var entry = db.Entry(received);
        var properties = entityType.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var columns = new List<string>(properties.Count);
            var values = new List<string>(properties.Count);
            for (var i = 0; i < properties.Count; i++)
            {
                var property = properties[i];
                var name = $"@p{i}";
                columns.Add(sql.DelimitIdentifier(property.GetColumnName(table)!));
                values.Add(name);
                command.Parameters.Add(property.GetRelationalTypeMapping()
                    .CreateParameter(command, name, entry.Property(property.Name).CurrentValue, property.IsNullable));
            }

            var conflict = string.Join(", ", new[] { nameof(WebhookEvent.Provider), nameof(WebhookEvent.ProviderEventId) }
                .Select(p => sql.DelimitIdentifier(entityType.FindProperty(p)!.GetColumnName(table)!)));
            command.CommandText =
                $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns)}) " +
                $"VALUES ({string.Join(", ", values)}) ON CONFLICT ({conflict}) DO NOTHING";
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
