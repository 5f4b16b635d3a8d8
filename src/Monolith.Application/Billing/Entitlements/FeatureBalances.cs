using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Usage;

namespace Monolith.Application.Billing.Entitlements;

/// <summary>
/// A feature's entitlement plus its usage in the current billing period. <see cref="Balance"/> is limit − used and
/// may be negative: going over a limit is reported, never clamped away.
/// </summary>
public sealed record FeatureBalance(
    string FeatureId,
    bool Allowed,
    bool Unlimited,
    long? Limit,
    long Used,
    long? Balance,
    bool OverLimit,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd);

/// <summary>Combines the cached entitlement (<see cref="IEntitlements"/>) with the usage ledger for the current period.</summary>
internal sealed class FeatureBalances(
    IAppDbContext db,
    IEntitlements entitlements,
    ISubscriptionAccessReader subscriptions,
    PlanCatalog catalog,
    TimeProvider clock)
{
    /// <summary>
    /// Stands in for an organisation that has no billing account yet: it holds only the default plan and no usage,
    /// which is the same for every such organisation, so they may share one cache entry.
    /// </summary>
    public static readonly Guid NoAccount = Guid.Empty;

    public IReadOnlyList<string> AllFeatureIds() =>
        catalog.Plans.Values
            .SelectMany(p => p.Features.Concat(p.Limits.Keys))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyList<FeatureBalance>> ForAsync(Guid? billingAccountId, IReadOnlyCollection<string> featureIds, CancellationToken cancellationToken)
    {
        var accountId = billingAccountId ?? NoAccount;
        var (start, end) = UsagePeriod.Current(await subscriptions.ListAsync(accountId, cancellationToken), clock.GetUtcNow());
        var usage = billingAccountId is null
            ? []
            : await db.UsageEvents.AsNoTracking()
                .Where(u => u.BillingAccountId == accountId && u.PeriodStart == start && u.PeriodEnd == end && featureIds.Contains(u.FeatureId))
                .ToListAsync(cancellationToken);

        var balances = new List<FeatureBalance>(featureIds.Count);
        foreach (var featureId in featureIds)
        {
            var check = await entitlements.CheckAsync(accountId, featureId, cancellationToken);
            var used = UsageLedger.Used(usage, featureId, start, end);
            var balance = check.Unlimited || check.Limit is null ? (long?)null : UsageLedger.Balance(check.Limit.Value, used);
            balances.Add(new FeatureBalance(
                featureId,
                Allowed: check.Allowed && (check.Unlimited || balance > 0),
                check.Unlimited,
                check.Limit,
                used,
                balance,
                OverLimit: balance < 0,
                start,
                end));
        }

        return balances;
    }
}
