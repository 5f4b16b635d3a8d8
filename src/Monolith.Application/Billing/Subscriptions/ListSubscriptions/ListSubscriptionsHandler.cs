using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions.ListSubscriptions;

internal sealed class ListSubscriptionsHandler(IAppDbContext db)
    : IRequestHandler<ListSubscriptionsQuery, Result<IReadOnlyList<SubscriptionSummary>>>
{
    public async Task<Result<IReadOnlyList<SubscriptionSummary>>> Handle(ListSubscriptionsQuery request, CancellationToken cancellationToken)
    {
        if (await db.BillingAccountIdOfAsync(request.OrganizationId, cancellationToken) is not { } accountId)
        {
            return Result.Success<IReadOnlyList<SubscriptionSummary>>([]);
        }

        var rows = await db.Subscriptions.AsNoTracking()
            .Where(s => s.BillingAccountId == accountId)
            .Select(s => new SubscriptionSummary(s.Id, s.Provider, s.PlanId, s.PriceId, s.Status, s.Quantity,
                s.CurrentPeriodStart, s.CurrentPeriodEnd, s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.IsAddOn, s.DuplicateOf))
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(s => s.CurrentPeriodStart).ToList();
    }
}
