using System.Runtime.CompilerServices;
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
internal sealed class OutboxCommitSignal(OutboxWakeup wakeup) : AfterCommitInterceptor<StrongBox<bool>>
{
    protected override void Collect(DbContext context, StrongBox<bool> wroteOutbox)
    {
        if (context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            wroteOutbox.Value = true;
        }
    }

    protected override void AfterCommit(StrongBox<bool> wroteOutbox)
    {
        if (wroteOutbox.Value)
        {
            wroteOutbox.Value = false;
            wakeup.Messages.Pulse();
        }
    }

    protected override void Reset(StrongBox<bool> wroteOutbox) => wroteOutbox.Value = false;
}
