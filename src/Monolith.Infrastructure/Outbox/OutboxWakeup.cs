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
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            switch (entry.Entity)
            {
                case OutboxMessage { DispatchedAt: null }:
                    written.Messages = true; // left for the dispatcher
                    break;
                case OutboxDelivery:
                    written.Deliveries = true; // aggregates' events arrive fanned out: wake the workers directly
                    break;
            }
        }
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
