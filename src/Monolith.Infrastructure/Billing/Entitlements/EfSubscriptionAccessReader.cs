using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing.Entitlements;

/// <summary>
/// The access-relevant facts of an account's subscriptions, read from the database (committed state only: a fresh
/// no-tracking query; a recorded duplicate subscription never grants), one-time purchases, plus the configured default plan (e.g. "free") that every account has without subscribing.
/// </summary>
internal sealed class EfSubscriptionAccessReader(AppDbContext db, IOptions<EntitlementOptions> options, PlanCatalog catalog, TimeProvider clock)
    : ISubscriptionAccessReader
{
    public async ValueTask<IReadOnlyList<SubscriptionAccess>> ListAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        var accesses = await db.Subscriptions
            .AsNoTracking()
            .Where(s => s.BillingAccountId == billingAccountId && s.Status != SubscriptionStatus.IncompleteExpired && s.DuplicateOf == null)
            .Select(s => new SubscriptionAccess(s.PlanId, s.Status, s.CancelAtPeriodEnd, s.CurrentPeriodStart, s.CurrentPeriodEnd))
            .ToListAsync(cancellationToken);

        // One-time purchases grant their plan for good while the payment stands: succeeded and not fully refunded.
        // A payment is tied to its price by the completed payment-mode checkout session that produced it.
        var purchases = await db.Payments
            .AsNoTracking()
            .Where(p => p.BillingAccountId == billingAccountId && p.Kind == PaymentKind.OneTime && p.Status == PaymentStatus.Succeeded)
            .Join(db.CheckoutSessions.Where(c => c.BillingAccountId == billingAccountId && c.Mode == CheckoutMode.Payment),
                p => p.ProviderPaymentId, c => c.ProviderResultId, (p, c) => new { Payment = p, c.PriceId })
            .ToListAsync(cancellationToken);
        foreach (var purchase in purchases.Where(p => !p.Payment.IsFullyRefunded))
        {
            if (catalog.FindPrice(purchase.PriceId) is { IsSuccess: true } price)
            {
                accesses.Add(new SubscriptionAccess(price.Value.PlanId, SubscriptionStatus.Active, false, purchase.Payment.SucceededAt ?? DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
            }
        }

        if (options.Value.DefaultPlan is { Length: > 0 } defaultPlan)
        {
            var (start, end) = UsagePeriod.CalendarMonth(clock.GetUtcNow());
            accesses.Add(new SubscriptionAccess(defaultPlan, SubscriptionStatus.Active, false, start, end));
        }

        return accesses;
    }
}
