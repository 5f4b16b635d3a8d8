using MediatR;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Entitlements.CheckEntitlement;

internal sealed class CheckEntitlementHandler(
    IAppDbContext db,
    FeatureBalances balances,
    ISubscriptionAccessReader subscriptions,
    PlanCatalog catalog,
    AccessPolicy policy,
    TimeProvider clock)
    : IRequestHandler<CheckEntitlementQuery, Result<FeatureBalance>>
{
    public async Task<Result<FeatureBalance>> Handle(CheckEntitlementQuery request, CancellationToken cancellationToken)
    {
        var accountId = await db.BillingAccountIdOfAsync(request.OrganizationId, cancellationToken);
        if (request.FeatureId is { Length: > 0 } featureId)
        {
            return (await balances.ForAsync(accountId, [featureId], cancellationToken))[0];
        }

        var price = catalog.FindPrice(request.PriceId!);
        if (price.IsFailure)
        {
            return price.Error;
        }

        var now = clock.GetUtcNow();
        var accesses = await subscriptions.ListAsync(accountId ?? FeatureBalances.NoAccount, cancellationToken);
        var granted = accesses.Any(a => a.PlanId == price.Value.PlanId && policy.Grants(a, now, out _));
        var period = Domain.Billing.Usage.UsagePeriod.Current(accesses, now);
        return new FeatureBalance(price.Value.Id, granted, Unlimited: granted, Limit: null, Used: 0, Balance: null, OverLimit: false, period.Start, period.End);
    }
}
