using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Common.Telemetry;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Outbox;

/// <summary>
/// The outbox's moving parts, each a short unit of work in its own DI scope: fan messages out into deliveries,
/// claim due deliveries (skip-locked on PostgreSQL, one UPDATE on SQLite), run one delivery's handler.
/// </summary>
internal sealed partial class OutboxEngine(
    IServiceScopeFactory scopes,
    OutboxHandlerRegistry registry,
    OutboxWakeup wakeup,
    IOutboxHandover handover,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    MonolithMetrics metrics,
    ILogger<OutboxEngine> logger)
{
    private const string Claimable =
        "(state IN ('Pending', 'Failed') AND next_attempt_at <= {0}) OR (state = 'Processing' AND locked_until < {0})";

    /// <summary>PostgreSQL: lock due rows skipping those another worker holds, and lease them, in one statement.</summary>
    internal const string PostgresClaimSql =
        "UPDATE outbox_deliveries AS d SET state = 'Processing', attempts = d.attempts + 1, locked_until = {1}, locked_by = {2} " +
        "FROM (SELECT id FROM outbox_deliveries WHERE " + Claimable + " ORDER BY next_attempt_at LIMIT {3} FOR UPDATE SKIP LOCKED) AS due " +
        "WHERE d.id = due.id RETURNING d.*";

    /// <summary>SQLite: a single writer, so one UPDATE … WHERE id IN (SELECT … LIMIT n) is the claim.</summary>
    internal const string SqliteClaimSql =
        "UPDATE outbox_deliveries SET state = 'Processing', attempts = attempts + 1, locked_until = {1}, locked_by = {2} " +
        "WHERE id IN (SELECT id FROM outbox_deliveries WHERE " + Claimable + " ORDER BY next_attempt_at LIMIT {3}) RETURNING *";

    private const string PostgresPendingMessagesSql =
        "SELECT * FROM outbox_messages WHERE dispatched_at IS NULL ORDER BY created_at LIMIT {0} FOR UPDATE SKIP LOCKED";

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private OutboxOptions Options => options.Value;

    /// <summary>Fans up to one batch of undispatched messages out into deliveries; returns how many messages it took.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var postgres = db.Database.IsNpgsql();
        var now = clock.GetUtcNow();
        var created = 0;

        // PostgreSQL: concurrent dispatchers split the pending messages (skip-locked). SQLite: plain read, then one
        // atomic save. Either way the unique (message_id, handler) key makes a lost race harmless.
        await using var transaction = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
        var messages = postgres
            ? await db.OutboxMessages.FromSqlRaw(PostgresPendingMessagesSql, Options.BatchSize).ToListAsync(ct)
            : await db.OutboxMessages.Where(m => m.DispatchedAt == null).OrderBy(m => m.CreatedAt).Take(Options.BatchSize).ToListAsync(ct);
        if (messages.Count == 0)
        {
            return 0;
        }

        var ids = messages.Select(m => m.Id).ToList();
        var existing = (await db.OutboxDeliveries.Where(d => ids.Contains(d.MessageId)).Select(d => new { d.MessageId, d.Handler }).ToListAsync(ct))
            .Select(d => (d.MessageId, d.Handler))
            .ToHashSet();
        foreach (var message in messages)
        {
            foreach (var handler in registry.HandlersFor(message.Type))
            {
                if (!existing.Contains((message.Id, handler.Name)))
                {
                    db.OutboxDeliveries.Add(new OutboxDelivery(Guid.NewGuid(), message.Id, message.Type, handler.Name, now));
                    created++;
                }
            }

            message.MarkDispatched(now);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Another dispatcher fanned (some of) these out first; the next round re-reads what is still undispatched.
            LogDispatchRaceLost(logger);
            return messages.Count;
        }

        if (created > 0)
        {
            wakeup.Deliveries.Pulse();
        }

        return messages.Count;
    }

    /// <summary>Claims up to <paramref name="limit"/> due deliveries (new, retry-due, or whose lease expired) for this worker.</summary>
    public async Task<IReadOnlyList<OutboxDelivery>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var postgres = db.Database.IsNpgsql();
        var now = clock.GetUtcNow();
        var until = now + Options.LeaseDuration;
        return await db.OutboxDeliveries
            .FromSqlRaw(postgres ? PostgresClaimSql : SqliteClaimSql, Time(postgres, now), Time(postgres, until), WorkerId, limit)
            .AsNoTracking()
            .ToListAsync(ct);
    }

    /// <summary>
    /// Runs one claimed delivery in a new scope and transaction: processed marker (skip if present) + the handler's
    /// changes + the delivery marked succeeded commit together. A failure backs off, or parks the delivery as dead.
    /// </summary>
    public async Task ProcessAsync(OutboxDelivery delivery, CancellationToken ct)
    {
        string error;
        using var activity = StartDeliveryActivity(delivery);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            try
            {
                var binding = registry.Find(delivery.EventType, delivery.Handler);
                var message = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == delivery.MessageId)
                    .Select(m => new { m.Payload, m.OccurredAt }).FirstOrDefaultAsync(ct);
                if (binding is null || message is null)
                {
                    error = binding is null ? "outbox.handler_not_registered" : "outbox.message_missing";
                }
                else
                {
                    metrics.DeliveryStarted(delivery.Handler, clock.GetUtcNow() - message.OccurredAt);
                    var domainEvent = JsonSerializer.Deserialize(message.Payload, binding.EventType, OutboxJson.Options)
                        ?? throw new JsonException("The payload is null.");
                    var context = new OutboxContext(delivery.MessageId, delivery.Id, delivery.Handler, delivery.Attempts, message.OccurredAt);
                    var failure = await RunInTransactionAsync(db, scope.ServiceProvider, binding, domainEvent, context, ct);
                    if (failure is null)
                    {
                        metrics.DeliverySucceeded(delivery.Handler);
                        return;
                    }

                    error = $"{failure.Code}: {failure.Message}";
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: the lease expires and another worker (or this one after a restart) takes it.
                return;
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // Usually a concurrent run of the same delivery (a lost lease) won: the marker is there, the retry is a no-op.
                error = "outbox.unique_violation: a concurrent run committed first";
            }
            catch (Exception ex)
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Length > 200 ? error[..200] : error);
        await RecordFailureAsync(delivery, error, ct);
    }

    /// <summary>
    /// Runs a claimed batch in ONE transaction: each delivery's processed marker and handler changes are flushed as the
    /// handler succeeds, the successful deliveries are marked succeeded together, and one COMMIT (one durable flush)
    /// covers the batch. A handler that returns a failure has its unsaved changes dropped and is recorded as failed
    /// after the commit; anything that breaks the transaction itself (a database error inside a handler, a failed
    /// commit) rolls the batch back and every delivery is run again on its own (<see cref="ProcessAsync"/>) — their
    /// markers make that safe.
    /// </summary>
    public async Task ProcessBatchAsync(IReadOnlyList<OutboxDelivery> claimed, CancellationToken ct)
    {
        if (claimed.Count <= 1)
        {
            foreach (var delivery in claimed)
            {
                await ProcessAsync(delivery, ct);
            }

            return;
        }

        List<(OutboxDelivery Delivery, string Error)> failures;
        List<OutboxDelivery> succeeded;
        try
        {
            (succeeded, failures) = await RunBatchAsync(claimed, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the leases expire and the batch is claimed again
        }
        catch (Exception ex)
        {
            LogBatchFallback(logger, ex, claimed.Count);
            foreach (var delivery in claimed)
            {
                await ProcessAsync(delivery, ct);
            }

            return;
        }

        foreach (var delivery in succeeded)
        {
            metrics.DeliverySucceeded(delivery.Handler);
        }

        foreach (var (delivery, error) in failures)
        {
            await RecordFailureAsync(delivery, error, ct);
        }
    }

    private async Task<(List<OutboxDelivery> Succeeded, List<(OutboxDelivery, string)> Failed)> RunBatchAsync(
        IReadOnlyList<OutboxDelivery> claimed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var messageIds = claimed.Select(d => d.MessageId).Distinct().ToList();
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => messageIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Payload, m.OccurredAt }).ToDictionaryAsync(m => m.Id, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A failed save rolls the whole batch back (and falls back to one delivery at a time), so EF's automatic
        // savepoint around each SaveChanges would only cost two round trips per delivery.
        db.Database.AutoSavepointsEnabled = false;
        var processed = (await db.OutboxProcessed.Where(p => messageIds.Contains(p.MessageId))
                .Select(p => new { p.MessageId, p.Handler }).ToListAsync(ct))
            .Select(p => (p.MessageId, p.Handler)).ToHashSet();

        var succeeded = new List<OutboxDelivery>();
        var failed = new List<(OutboxDelivery, string)>();
        foreach (var delivery in claimed)
        {
            using var activity = StartDeliveryActivity(delivery);
            if (processed.Contains((delivery.MessageId, delivery.Handler)))
            {
                succeeded.Add(delivery); // a run that lost its lease already committed: nothing to do again
                continue;
            }

            var binding = registry.Find(delivery.EventType, delivery.Handler);
            if (binding is null || !messages.TryGetValue(delivery.MessageId, out var message))
            {
                failed.Add((delivery, binding is null ? "outbox.handler_not_registered" : "outbox.message_missing"));
                continue;
            }

            metrics.DeliveryStarted(delivery.Handler, clock.GetUtcNow() - message.OccurredAt);
            var domainEvent = JsonSerializer.Deserialize(message.Payload, binding.EventType, OutboxJson.Options)
                ?? throw new JsonException("The payload is null.");
            db.OutboxProcessed.Add(new OutboxProcessedMarker(delivery.MessageId, delivery.Handler, clock.GetUtcNow()));
            var context = new OutboxContext(delivery.MessageId, delivery.Id, delivery.Handler, delivery.Attempts, message.OccurredAt);
            var result = await binding.InvokeAsync(scope.ServiceProvider, domainEvent, context, ct);
            if (result.IsFailure)
            {
                // Everything earlier in the batch is already flushed, so the tracker holds only this handler's changes.
                db.DiscardChanges();
                activity?.SetStatus(ActivityStatusCode.Error, result.Error.Code);
                failed.Add((delivery, $"{result.Error.Code}: {result.Error.Message}"));
                continue;
            }

            await db.SaveChangesAsync(ct);
            db.DiscardChanges(); // flushed: the next handler starts from a clean tracker
            succeeded.Add(delivery);
        }

        await MarkSucceededAsync(db, succeeded.Select(d => d.Id).ToList(), ct);
        await transaction.CommitAsync(ct);
        return (succeeded, failed);
    }

    /// <summary>Dispatches and runs everything due until nothing is left (tests and the ops "drain" use it).</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var processed = 0;
        while (true)
        {
            while (await DispatchAsync(ct) > 0)
            {
            }

            var claimed = await ClaimAsync(Options.BatchSize, ct);
            if (claimed.Count == 0)
            {
                return processed;
            }

            await ProcessBatchAsync(claimed, ct);
            processed += claimed.Count;
        }
    }

    private async Task<Error?> RunInTransactionAsync(
        AppDbContext db, IServiceProvider scope, OutboxHandlerBinding binding, object domainEvent, OutboxContext context, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var alreadyProcessed = await db.OutboxProcessed.AnyAsync(p => p.MessageId == context.MessageId && p.Handler == context.HandlerName, ct);
        if (!alreadyProcessed)
        {
            db.OutboxProcessed.Add(new OutboxProcessedMarker(context.MessageId, context.HandlerName, clock.GetUtcNow()));
            var result = await binding.InvokeAsync(scope, domainEvent, context, ct);
            if (result.IsFailure)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.DiscardChanges();
                return result.Error;
            }

            await db.SaveChangesAsync(ct);
        }

        await MarkSucceededAsync(db, [context.DeliveryId], ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    private async Task MarkSucceededAsync(AppDbContext db, List<Guid> deliveryIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.OutboxDeliveries.Where(d => deliveryIds.Contains(d.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, OutboxDeliveryState.Succeeded)
            .SetProperty(d => d.CompletedAt, now)
            .SetProperty(d => d.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(d => d.LockedBy, (string?)null), ct);
    }

    private static Activity? StartDeliveryActivity(OutboxDelivery delivery)
    {
        var activity = MonolithTelemetry.Activities.StartActivity("outbox.deliver");
        activity?.SetTag("handler", delivery.Handler);
        activity?.SetTag("event_type", delivery.EventType);
        activity?.SetTag("attempt", delivery.Attempts);
        return activity;
    }

    private async Task RecordFailureAsync(OutboxDelivery delivery, string error, CancellationToken ct)
    {
        var dead = delivery.Attempts >= Options.MaxAttempts;
        var handOver = dead && handover.Active;
        metrics.DeliveryFailed(delivery.Handler, dead);
        var now = clock.GetUtcNow();
        var next = dead ? now : now + OutboxBackoff.Delay(delivery.Attempts, Options.BackoffBase, Options.BackoffCap, Random.Shared);
        var truncated = Truncate(error);
        var state = handOver ? OutboxDeliveryState.HandedOver : dead ? OutboxDeliveryState.Dead : OutboxDeliveryState.Failed;
        DateTimeOffset? completed = dead && !handOver ? now : null;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Only while this worker still holds the claim: a run that lost its lease must not overwrite the winner (and so
        // only one worker ever hands a delivery over).
        var updated = await db.OutboxDeliveries
            .Where(d => d.Id == delivery.Id && d.State == OutboxDeliveryState.Processing && d.LockedBy == WorkerId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, state)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LockedBy, (string?)null)
                .SetProperty(d => d.LastError, truncated)
                .SetProperty(d => d.HangfireJobId, (string?)null)
                .SetProperty(d => d.CompletedAt, completed), CancellationToken.None);

        if (handOver)
        {
            if (updated == 1)
            {
                await HandOverAsync(delivery);
            }
        }
        else if (dead)
        {
            LogDead(logger, delivery.Id, delivery.MessageId, delivery.Handler, delivery.Attempts);
        }
        else
        {
            LogRetry(logger, delivery.Id, delivery.MessageId, delivery.Handler, delivery.Attempts, next);
            // Wake the workers when the retry falls due, instead of leaving it to the next poll.
            _ = PulseDeliveriesAtAsync(next - now);
        }
    }

    /// <summary>
    /// The row already says HandedOver (committed), so from here on the relay never claims it. Creating its job may
    /// still fail (storage down, the process killed): the handover sweep (<see cref="IOutboxHandover.RecoverAsync"/>)
    /// finishes it, and the job creation is idempotent per delivery, so it is never handed over twice.
    /// </summary>
    private async Task HandOverAsync(OutboxDelivery delivery)
    {
        try
        {
            var jobId = await handover.HandOverAsync(delivery, CancellationToken.None);
            LogHandedOver(logger, delivery.Id, delivery.MessageId, delivery.Handler, delivery.Attempts, jobId);
        }
        catch (Exception ex)
        {
            LogHandoverDeferred(logger, ex, delivery.Id);
        }
    }

    /// <summary>
    /// Runs a handed-over delivery for its Hangfire job <paramref name="jobId"/>: the job first takes the row (only a
    /// HandedOver row, and only the job the row points at, or the first job of a row whose job id was not yet
    /// recorded; an Abandoned row is taken back by requeueing its job, see OutboxHandoverFilter), then runs the handler
    /// exactly as the relay does (marker + changes + succeeded in one transaction). Returns the job's result; a
    /// handler failure is recorded on the row and thrown, so Hangfire retries and shows it.
    /// </summary>
    public async Task<string> RunHandedOverAsync(Guid deliveryId, string jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var taken = await db.OutboxDeliveries
            .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.HandedOver && (d.HangfireJobId == null || d.HangfireJobId == jobId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.HangfireJobId, jobId)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        var delivery = await db.OutboxDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return $"delivery {deliveryId} no longer exists; nothing to do";
        }

        if (taken == 0)
        {
            return delivery.State == OutboxDeliveryState.Succeeded
                ? $"delivery {deliveryId} was already delivered"
                : $"delivery {deliveryId} is {delivery.State} (job {delivery.HangfireJobId ?? "none"}); nothing to do";
        }

        using var activity = StartDeliveryActivity(delivery);
        activity?.SetTag("hangfire.job_id", jobId);
        string error;
        try
        {
            var binding = registry.Find(delivery.EventType, delivery.Handler);
            var message = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == delivery.MessageId)
                .Select(m => new { m.Payload, m.OccurredAt }).FirstOrDefaultAsync(ct);
            if (binding is null || message is null)
            {
                error = binding is null ? "outbox.handler_not_registered" : "outbox.message_missing";
            }
            else
            {
                var domainEvent = JsonSerializer.Deserialize(message.Payload, binding.EventType, OutboxJson.Options)
                    ?? throw new JsonException("The payload is null.");
                var context = new OutboxContext(delivery.MessageId, delivery.Id, delivery.Handler, delivery.Attempts, message.OccurredAt);
                var failure = await RunInTransactionAsync(db, scope.ServiceProvider, binding, domainEvent, context, ct);
                if (failure is null)
                {
                    metrics.DeliverySucceeded(delivery.Handler);
                    return $"delivered (attempt {delivery.Attempts})";
                }

                error = $"{failure.Code}: {failure.Message}";
            }
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            error = "outbox.unique_violation: a concurrent run committed first";
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Length > 200 ? error[..200] : error);
        var truncated = Truncate(error);
        await db.OutboxDeliveries
            .Where(d => d.Id == deliveryId && d.State == OutboxDeliveryState.HandedOver && d.HangfireJobId == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastError, truncated), CancellationToken.None);
        throw new OutboxDeliveryFailedException(delivery.Handler, delivery.MessageId, error);
    }

    private static string Truncate(string error) =>
        error.Length > OutboxDelivery.LastErrorMaxLength ? error[..OutboxDelivery.LastErrorMaxLength] : error;

    private async Task PulseDeliveriesAtAsync(TimeSpan delay)
    {
        await Task.Delay(delay, clock, CancellationToken.None);
        wakeup.Deliveries.Pulse();
    }

    private static object Time(bool postgres, DateTimeOffset value) => postgres ? value.ToUniversalTime() : value.UtcTicks;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox batch of {Count} deliveries rolled back; running each on its own.")]
    private static partial void LogBatchFallback(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox dispatch lost a race to another dispatcher; re-reading.")]
    private static partial void LogDispatchRaceLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery {DeliveryId} (message {MessageId}, handler {Handler}) failed attempt {Attempt}; retrying at {NextAttemptAt:o}.")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, Guid messageId, string handler, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery {DeliveryId} (message {MessageId}, handler {Handler}) failed {Attempts} attempts; handed over to Hangfire job {JobId}.")]
    private static partial void LogHandedOver(ILogger logger, Guid deliveryId, Guid messageId, string handler, int attempts, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery {DeliveryId}: creating its Hangfire job failed; the handover sweep retries it.")]
    private static partial void LogHandoverDeferred(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox delivery {DeliveryId} (message {MessageId}, handler {Handler}) is dead after {Attempts} attempts.")]
    private static partial void LogDead(ILogger logger, Guid deliveryId, Guid messageId, string handler, int attempts);
}

/// <summary>The handler failed a handed-over delivery: Hangfire shows this on the job and retries it.</summary>
public sealed class OutboxDeliveryFailedException(string handler, Guid messageId, string error)
    : Exception($"{handler} failed message {messageId}: {error}");

/// <summary>
/// Hands a delivery that kept failing over to one Hangfire job (implemented next to the Hangfire wiring,
/// <c>Jobs/OutboxHandover.cs</c>). docs/outbox.md "Handover to Hangfire".
/// </summary>
internal interface IOutboxHandover
{
    /// <summary>Handover is on (<c>Outbox:Handover:Enabled</c>) and this process runs Hangfire (<c>Jobs:Enabled</c>).</summary>
    bool Active { get; }

    /// <summary>Creates the delivery's job unless it has one (idempotent per delivery) and records its id on the row; returns it.</summary>
    Task<string> HandOverAsync(OutboxDelivery delivery, CancellationToken ct);

    /// <summary>
    /// Finishes handovers whose job was never recorded (a kill, storage down); <paramref name="atStart"/> also hands
    /// over again deliveries whose job the storage no longer knows (Hangfire.InMemory after a restart). Returns how many.
    /// </summary>
    Task<int> RecoverAsync(bool atStart, CancellationToken ct);
}
