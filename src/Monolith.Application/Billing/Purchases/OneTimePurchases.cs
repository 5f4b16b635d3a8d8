using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Application.Billing.Purchases;

/// <summary>
/// Which one-time products an account owns: a succeeded one-time payment, not fully refunded, made through a
/// payment-mode checkout for a price of that plan (the same facts that grant its entitlements).
/// </summary>
internal static class OneTimePurchases
{
    public static async Task<IReadOnlySet<string>> OwnedPlanIdsAsync(
        this IAppDbContext db, Guid billingAccountId, PlanCatalog catalog, CancellationToken cancellationToken)
    {
        var purchases = await db.Payments
            .AsNoTracking()
            .Where(p => p.BillingAccountId == billingAccountId && p.Kind == PaymentKind.OneTime && p.Status == PaymentStatus.Succeeded)
            .Join(db.CheckoutSessions.Where(c => c.BillingAccountId == billingAccountId && c.Mode == CheckoutMode.Payment),
                p => p.ProviderPaymentId, c => c.ProviderResultId, (p, c) => new { Payment = p, c.PriceId })
            .ToListAsync(cancellationToken);
        return purchases
            .Where(p => !p.Payment.IsFullyRefunded)
            .Select(p => catalog.FindPrice(p.PriceId))
            .Where(price => price.IsSuccess)
            .Select(price => price.Value.PlanId)
            .ToHashSet(StringComparer.Ordinal);
    }
}
