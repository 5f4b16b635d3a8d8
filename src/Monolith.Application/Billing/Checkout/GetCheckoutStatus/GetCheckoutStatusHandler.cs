using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Checkout.GetCheckoutStatus;

internal sealed class GetCheckoutStatusHandler(IAppDbContext db) : IRequestHandler<GetCheckoutStatusQuery, Result<CheckoutStatusView>>
{
    public static readonly Error NotFound = Error.NotFound("billing.checkout.session_not_found", "Checkout session not found.");

    public async Task<Result<CheckoutStatusView>> Handle(GetCheckoutStatusQuery request, CancellationToken cancellationToken)
    {
        var session = await db.CheckoutSessions.AsNoTracking()
            .Where(s => s.ProviderSessionId == request.ProviderSessionId
                        && db.BillingAccounts.Any(a => a.Id == s.BillingAccountId && a.OrganizationId == request.OrganizationId))
            .Select(s => new { s.PriceId, s.Mode, s.Status, s.Provider, s.ProviderResultId })
            .FirstOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return NotFound;
        }

        SubscriptionStatus? subscription = null;
        PaymentStatus? payment = null;
        if (session.ProviderResultId is { } resultId)
        {
            subscription = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Provider == session.Provider && s.ProviderSubscriptionId == resultId)
                .Select(s => (SubscriptionStatus?)s.Status).FirstOrDefaultAsync(cancellationToken);
            payment = await db.Payments.AsNoTracking()
                .Where(p => p.Provider == session.Provider && p.ProviderPaymentId == resultId)
                .Select(p => (PaymentStatus?)p.Status).FirstOrDefaultAsync(cancellationToken);
        }

        var confirmed = session.Mode == CheckoutMode.Subscription
            ? subscription is Domain.Billing.Subscriptions.SubscriptionStatus.Active or Domain.Billing.Subscriptions.SubscriptionStatus.Trialing
            : payment == Domain.Billing.Payments.PaymentStatus.Succeeded;
        return new CheckoutStatusView(session.PriceId, session.Mode, session.Status, subscription, payment, confirmed);
    }
}
