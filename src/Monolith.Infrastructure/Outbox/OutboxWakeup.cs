using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Outbox;

/// <summary>A wake-all signal: waiters take <see cref="Next"/> BEFORE looking for work, so no pulse is lost.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>In-process wake-ups: new outbox messages committed (dispatcher) and new or requeued deliveries (workers).</summary>
internal sealed class OutboxWakeup
{
    public AsyncSignal Messages { get; } = new();
    public AsyncSignal Deliveries { get; } = new();
}

/// <summary>
/// Wakes the dispatcher as soon as a save that wrote outbox rows COMMITS on this instance (a rolled-back one wakes
/// nothing). Polling is only the fallback.
/// </summary>
internal sealed class OutboxCommitSignal(OutboxWakeup wakeup) : AfterCommitInterceptor<OutboxCommitSignal.Written>
{
    protected override void Collect(DbContext context, Written written)
    {
        var (messages, deliveries) = Pending(context);
        written.Messages |= messages;
        written.Deliveries |= deliveries;
    }

    /// <summary>
    /// What a save adds to the outbox: messages left for the dispatcher, and deliveries for the workers (aggregates'
    /// events arrive fanned out). Shared with the cross-instance NOTIFY, so both wake the same loops.
    /// </summary>
    internal static (bool Messages, bool Deliveries) Pending(DbContext context)
    {
        bool messages = false, deliveries = false;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Added)
            {
                messages |= entry.Entity is OutboxMessage { DispatchedAt: null };
                deliveries |= entry.Entity is OutboxDelivery;
            }
        }

        return (messages, deliveries);
    }

    /// <summary>Wakes only the loops that have something new: most commits write events no handler consumes.</summary>
    protected override void AfterCommit(Written written)
    {
        if (written.Messages)
        {
            wakeup.Messages.Pulse();
        }

        if (written.Deliveries)
        {
            wakeup.Deliveries.Pulse();
        }

        Reset(written);
    }

    protected override void Reset(Written written)
    {
        written.Messages = false;
        written.Deliveries = false;
    }

    internal sealed class Written
    {
        public bool Messages { get; set; }
        public bool Deliveries { get; set; }
    }

}
