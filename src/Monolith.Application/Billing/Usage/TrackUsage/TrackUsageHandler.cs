using MediatR;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Billing.Entitlements;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Usage.TrackUsage;

internal sealed class TrackUsageHandler(
    IAppDbContext db,
    FeatureBalances balances,
    ISubscriptionAccessReader subscriptions,
    PlanCatalog catalog,
    TimeProvider clock)
    : IRequestHandler<TrackUsageCommand, Result<FeatureBalance>>
{
    public static readonly Error FeatureNotMetered =
        Error.NotFound("billing.usage.feature_not_metered", "No plan in the catalogue meters this feature.");

    public async Task<Result<FeatureBalance>> Handle(TrackUsageCommand request, CancellationToken cancellationToken)
    {
        if (!catalog.Plans.Values.Any(p => p.Limits.ContainsKey(request.FeatureId)))
        {
            return FeatureNotMetered;
        }

        var now = clock.GetUtcNow();
        var account = await db.GetOrOpenBillingAccountAsync(request.OrganizationId, now, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error;
        }

        var (start, end) = UsagePeriod.Current(await subscriptions.ListAsync(account.Value.Id, cancellationToken), now);
        var usage = UsageEvent.Record(Guid.NewGuid(), account.Value.Id, request.FeatureId, request.Quantity, request.IdempotencyKey,
            start, end, request.Mode, now, catalog.Usage);
        if (usage.IsFailure)
        {
            return usage.Error;
        }

        var before = (await balances.ForAsync(account.Value.Id, [request.FeatureId], cancellationToken))[0];
        var used = UsageLedger.TotalAfter(before.Used, usage.Value, catalog.Usage);
        if (used.IsFailure)
        {
            return used.Error;
        }

        db.UsageEvents.Add(usage.Value);
        var balance = before.Limit is { } limit && !before.Unlimited ? UsageLedger.Balance(limit, used.Value) : (long?)null;
        return before with { Used = used.Value, Balance = balance, OverLimit = balance < 0, Allowed = before.Unlimited || balance > 0 };
    }
}
