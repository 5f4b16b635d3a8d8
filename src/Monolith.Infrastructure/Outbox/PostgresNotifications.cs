using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Monolith.Infrastructure.Billing.Entitlements;
using Npgsql;

namespace Monolith.Infrastructure.Outbox;

/// <summary>
/// The cross-instance channels (PostgreSQL NOTIFY is scoped to one database). Payloads end with <c>|instance</c> so an
/// instance ignores its own notices (it has already acted on them in process).
/// <list type="bullet">
/// <item><c>monolith_outbox</c>: <c>m|instance</c> (outbox messages committed: wake the dispatchers) or <c>d|instance</c>
/// (deliveries created: wake the workers).</item>
/// <item><c>monolith_entitlements</c>: <c>{billingAccountId}|instance</c> (drop that account's cached entitlements).</item>
/// </list>
/// </summary>
internal sealed class PostgresNotifications
{
    public const string OutboxChannel = "monolith_outbox";
    public const string EntitlementsChannel = "monolith_entitlements";
    public const string MessagesKind = "m";
    public const string DeliveriesKind = "d";

    /// <summary>This process (this service provider) among the instances sharing the database.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public static (string Body, string Instance)? Parse(string payload)
    {
        var bar = payload.LastIndexOf('|');
        return bar <= 0 ? null : (payload[..bar], payload[(bar + 1)..]);
    }
}

/// <summary>What a unit of work changed that other instances must hear about once it commits.</summary>
internal sealed class PendingNotices
{
    public bool Messages { get; set; }
    public bool Deliveries { get; set; }
    public HashSet<Guid> Accounts { get; } = [];

    public bool IsEmpty => !Messages && !Deliveries && Accounts.Count == 0;

    public void Clear()
    {
        Messages = Deliveries = false;
        Accounts.Clear();
    }
}

/// <summary>
/// On PostgreSQL, tells the other instances about committed outbox rows and entitlement-relevant changes. Inside a
/// transaction the <c>pg_notify</c> calls run on the transaction's own connection just before COMMIT, so they are
/// delivered exactly when (and only if) the change commits. A save without a transaction (autocommit) notifies
/// right after it. SQLite has no other instances: the interceptor does nothing there.
/// </summary>
internal sealed class PostgresCommitNotifier(PostgresNotifications notifications) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private const string NotifySql = "SELECT pg_notify(c, p) FROM unnest(@channels, @payloads) AS n(c, p)";

    private readonly ConditionalWeakTable<DbContext, PendingNotices> _pending = [];

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (TakeIfAutocommitted(eventData.Context) is { } notices)
        {
            await eventData.Context!.Database.ExecuteSqlRawAsync(NotifySql, Parameters(notices), cancellationToken);
        }

        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (TakeIfAutocommitted(eventData.Context) is { } notices)
        {
            eventData.Context!.Database.ExecuteSqlRaw(NotifySql, Parameters(notices));
        }

        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } notices)
        {
            await using var command = Command(transaction, notices);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return result;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Take(eventData.Context) is { } notices)
        {
            using var command = Command(transaction, notices);
            command.ExecuteNonQuery();
        }

        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null || !context.Database.IsNpgsql())
        {
            return;
        }

        var pending = _pending.GetOrCreateValue(context);
        var (messages, deliveries) = OutboxCommitSignal.Pending(context);
        pending.Messages |= messages;
        pending.Deliveries |= deliveries;
        EntitlementCacheInvalidator.CollectTouchedAccounts(context, pending.Accounts);
    }

    private PendingNotices? TakeIfAutocommitted(DbContext? context) =>
        context?.Database.CurrentTransaction is null ? Take(context) : null;

    /// <summary>The pending notices as a copy, forgetting them (each is sent once).</summary>
    private PendingNotices? Take(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending) || pending.IsEmpty)
        {
            return null;
        }

        var taken = new PendingNotices { Messages = pending.Messages, Deliveries = pending.Deliveries };
        taken.Accounts.UnionWith(pending.Accounts);
        pending.Clear();
        return taken;
    }

    private void Discard(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            pending.Clear();
        }
    }

    private DbCommand Command(DbTransaction transaction, PendingNotices notices)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = NotifySql;
        command.Parameters.AddRange(Parameters(notices));
        return command;
    }

    private NpgsqlParameter[] Parameters(PendingNotices notices)
    {
        var channels = new List<string>();
        var payloads = new List<string>();
        var self = notifications.InstanceId;
        if (notices.Messages)
        {
            channels.Add(PostgresNotifications.OutboxChannel);
            payloads.Add($"{PostgresNotifications.MessagesKind}|{self}");
        }

        if (notices.Deliveries)
        {
            channels.Add(PostgresNotifications.OutboxChannel);
            payloads.Add($"{PostgresNotifications.DeliveriesKind}|{self}");
        }

        foreach (var account in notices.Accounts)
        {
            channels.Add(PostgresNotifications.EntitlementsChannel);
            payloads.Add($"{account:N}|{self}");
        }

        return [new NpgsqlParameter("channels", channels.ToArray()), new NpgsqlParameter("payloads", payloads.ToArray())];
    }
}
