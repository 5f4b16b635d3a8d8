using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing.Entitlements;

/// <summary>
/// Drops an account's cached entitlements as soon as a change to it COMMITS on this instance — not before (a rolled
/// back change must not be visible) and not later (a revoked grant must never be served after its commit). Other
/// instances drop theirs on PostgreSQL NOTIFY (PostgresCommitNotifier, PostgresChangeListener).
/// </summary>
internal sealed class EntitlementCacheInvalidator(EntitlementCache cache) : AfterCommitInterceptor<HashSet<Guid>>
{
    protected override void Collect(DbContext context, HashSet<Guid> touched) => CollectTouchedAccounts(context, touched);

    /// <summary>The billing accounts whose entitlements the pending changes of <paramref name="context"/> may change.</summary>
    internal static void CollectTouchedAccounts(DbContext context, HashSet<Guid> touched)
    {
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            Guid? accountId = entry.Entity switch
            {
                Subscription s => s.BillingAccountId,
                UsageEvent u => u.BillingAccountId,
                Payment p => p.BillingAccountId,
                // A one-time purchase grants access through its completed checkout session (EfSubscriptionAccessReader).
                CheckoutSession c => c.BillingAccountId,
                BillingAccount a => a.Id,
                _ => null,
            };
            if (accountId is { } id)
            {
                touched.Add(id);
            }
        }
    }

    protected override void AfterCommit(HashSet<Guid> touched)
    {
        foreach (var id in touched)
        {
            cache.Invalidate(id);
        }

        touched.Clear();
    }

    protected override void Reset(HashSet<Guid> touched) => touched.Clear();
}
