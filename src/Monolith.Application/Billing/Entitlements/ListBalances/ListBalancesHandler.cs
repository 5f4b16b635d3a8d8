using MediatR;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Entitlements.ListBalances;

internal sealed class ListBalancesHandler(IAppDbContext db, FeatureBalances balances)
    : IRequestHandler<ListBalancesQuery, Result<IReadOnlyList<FeatureBalance>>>
{
    public async Task<Result<IReadOnlyList<FeatureBalance>>> Handle(ListBalancesQuery request, CancellationToken cancellationToken)
    {
        var accountId = await db.BillingAccountIdOfAsync(request.OrganizationId, cancellationToken);
        return Result.Success(await balances.ForAsync(accountId, balances.AllFeatureIds(), cancellationToken));
    }
}
