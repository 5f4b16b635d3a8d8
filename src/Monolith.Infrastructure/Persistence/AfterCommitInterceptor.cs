using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Monolith.Infrastructure.Persistence;

/// <summary>
/// Does something about what a save changed once that change has COMMITTED on this instance: right after the save when
/// there is no explicit transaction, otherwise when the transaction commits. A rollback discards what was collected.
/// State is kept per DbContext, so one singleton interceptor serves every scope.
/// </summary>
internal abstract class AfterCommitInterceptor<TPending> : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TPending : class, new()
{
    private readonly ConditionalWeakTable<DbContext, TPending> _pending = [];

    /// <summary>Called while saving: note what this save changes.</summary>
    protected abstract void Collect(DbContext context, TPending pending);

    /// <summary>Called once it has committed: act on what was noted, then forget it.</summary>
    protected abstract void AfterCommit(TPending pending);

    /// <summary>Forget what was noted (after a rollback).</summary>
    protected abstract void Reset(TPending pending);

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        OnSaving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        OnSaving(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        FlushIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        FlushIfCommitted(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    private void OnSaving(DbContext? context)
    {
        if (context is not null)
        {
            Collect(context, _pending.GetOrCreateValue(context));
        }
    }

    private void FlushIfCommitted(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Flush(context);
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            AfterCommit(pending);
        }
    }

    private void Discard(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            Reset(pending);
        }
    }
}
