using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions;

internal static class SubscriptionLookups
{
    public static readonly Error NotFound = Error.NotFound("billing.subscription.not_found", "Subscription not found.");

    public static readonly Error Ended = Error.Rule("billing.subscription.ended", "This subscription has ended and cannot be changed.");

    /// <summary>The subscription, only if it belongs to the organisation's billing account (ids from other accounts are "not found").</summary>
    public static async Task<Result<Subscription>> FindOfOrganizationAsync(
        this IAppDbContext db, Guid organizationId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Id == subscriptionId && db.BillingAccounts.Any(a => a.Id == s.BillingAccountId && a.OrganizationId == organizationId))
            .FirstOrDefaultAsync(cancellationToken);
        return subscription is null ? NotFound : subscription;
    }
}

/// <summary>
/// What a subscription change request returns: the provider accepted it; the subscription itself changes when the
/// provider's confirming event (webhook) is applied, never before.
/// </summary>
public sealed record SubscriptionChangeRequested(Guid SubscriptionId, string Change, SubscriptionStatus CurrentStatus);
