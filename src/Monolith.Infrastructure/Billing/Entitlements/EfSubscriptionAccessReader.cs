using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing.Entitlements;

/// <summary>
/// The access-relevant facts of an account's subscriptions, read from the database (committed state only: a fresh
/// no-tracking query), plus the configured default plan (e.g. "free") that every account has without subscribing.
/// </summary>
internal sealed class EfSubscriptionAccessReader(AppDbContext db, IOptions<EntitlementOptions> options, TimeProvider clock)
    : ISubscriptionAccessReader
{
    public async ValueTask<IReadOnlyList<SubscriptionAccess>> ListAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        var accesses = await db.Subscriptions
            .AsNoTracking()
            .Where(s => s.BillingAccountId == billingAccountId && s.Status != SubscriptionStatus.IncompleteExpired)
            .Select(s => new SubscriptionAccess(s.PlanId, s.Status, s.CancelAtPeriodEnd, s.CurrentPeriodStart, s.CurrentPeriodEnd))
            .ToListAsync(cancellationToken);

        if (options.Value.DefaultPlan is { Length: > 0 } defaultPlan)
        {
            var (start, end) = UsagePeriod.CalendarMonth(clock.GetUtcNow());
            accesses.Add(new SubscriptionAccess(defaultPlan, SubscriptionStatus.Active, false, start, end));
        }

        return accesses;
    }
}
