using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Ops.Audit;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Ops;

/// <summary>
/// Wakes the outbox workers when an operator's retry or requeue COMMITS. <c>OutboxOperations</c> pulses them already,
/// but inside the ops command's transaction, before the change is visible; this second pulse makes the delivery run
/// at once instead of at the next poll. Recognised by the audit entry the command writes in the same save.
/// </summary>
internal sealed class OpsWakeupSignal(OutboxWakeup wakeup) : AfterCommitInterceptor<StrongBox<bool>>
{
    protected override void Collect(DbContext context, StrongBox<bool> wake)
    {
        if (context.ChangeTracker.Entries<OpsAuditEntry>().Any(e => e.State == EntityState.Added &&
                e.Entity.Action is OpsActions.DeliveryRequeue or OpsActions.DeliveryRetryNow))
        {
            wake.Value = true;
        }
    }

    protected override void AfterCommit(StrongBox<bool> wake)
    {
        if (wake.Value)
        {
            wake.Value = false;
            wakeup.Deliveries.Pulse();
        }
    }

    protected override void Reset(StrongBox<bool> wake) => wake.Value = false;
}
