using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Billing.Notifications;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.Purchases;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Checkout.CreateCheckoutSession;

internal sealed class CreateCheckoutSessionHandler(
    IAppDbContext db,
    IPaymentsPort payments,
    IBillingContacts contacts,
    PlanCatalog catalog,
    RedirectPolicy redirects,
    IOptions<CheckoutOptions> options,
    TimeProvider clock)
    : IRequestHandler<CreateCheckoutSessionCommand, Result<CreateCheckoutSessionResult>>
{
    public async Task<Result<CreateCheckoutSessionResult>> Handle(CreateCheckoutSessionCommand request, CancellationToken cancellationToken)
    {
        var price = catalog.FindPrice(request.PriceId);
        if (price.IsFailure)
        {
            return CheckoutErrors.PriceNotFound;
        }

        if (!price.Value.IsActive)
        {
            return CheckoutErrors.PriceInactive;
        }

        if (price.Value.ProviderPriceIdFor(payments.Provider) is not { } providerPriceId)
        {
            return CheckoutErrors.PriceNotOffered;
        }

        if (!redirects.IsAllowed(request.SuccessUrl) || !redirects.IsAllowed(request.CancelUrl))
        {
            return CheckoutErrors.RedirectNotAllowed;
        }

        var now = clock.GetUtcNow();
        var account = await db.GetOrOpenBillingAccountAsync(request.OrganizationId, now, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error;
        }

        var refused = await RefuseRepeatPurchaseAsync(account.Value.Id, price.Value, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var open = await db.CheckoutSessions
            .Where(s => s.BillingAccountId == account.Value.Id && s.PriceId == price.Value.Id && s.Status == CheckoutStatus.Open && s.ExpiresAt > now)
            .FirstOrDefaultAsync(cancellationToken);
        if (open?.Url is { } openUrl)
        {
            return new CreateCheckoutSessionResult(open.Id, open.ProviderSessionId, new Uri(openUrl), open.ExpiresAt, Reused: true);
        }

        // Deterministic provider keys: concurrent first requests for one account get ONE customer and ONE session
        // from the provider; the database's unique keys then let exactly one of them commit.
        var customerId = account.Value.CustomerIdFor(payments.Provider);
        if (customerId is null)
        {
            var created = await payments.CreateCustomerAsync(
                await db.CustomerDetailsAsync(contacts, account.Value, cancellationToken), $"customer-{account.Value.Id:N}", cancellationToken);
            if (created.IsFailure)
            {
                return created.Error;
            }

            var linked = account.Value.LinkCustomer(payments.Provider, created.Value, now);
            if (linked.IsFailure)
            {
                return linked.Error;
            }

            customerId = created.Value;
        }

        var sessionsSoFar = await db.CheckoutSessions.CountAsync(s => s.BillingAccountId == account.Value.Id && s.PriceId == price.Value.Id, cancellationToken);
        var mode = price.Value.IsRecurring ? CheckoutMode.Subscription : CheckoutMode.Payment;
        var trialDays = mode == CheckoutMode.Subscription && price.Value.Amount.AmountMinor > 0 && !account.Value.HasUsedTrial && options.Value.TrialDays > 0
            ? options.Value.TrialDays
            : (int?)null;
        var hosted = await payments.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(account.Value.Id, customerId, mode, providerPriceId, request.Quantity, trialDays,
                new Uri(request.SuccessUrl), new Uri(request.CancelUrl)),
            $"checkout-{account.Value.Id:N}-{price.Value.Id}-{sessionsSoFar}-{request.IdempotencyKey ?? Guid.NewGuid().ToString("N")}",
            cancellationToken);
        if (hosted.IsFailure)
        {
            return hosted.Error;
        }

        var session = CheckoutSession.Open(Guid.NewGuid(), account.Value.Id, payments.Provider, hosted.Value.ProviderSessionId,
            price.Value.Id, mode, hosted.Value.ExpiresAt, now, hosted.Value.Url);
        if (session.IsFailure)
        {
            return session.Error;
        }

        db.CheckoutSessions.Add(session.Value);
        return new CreateCheckoutSessionResult(session.Value.Id, hosted.Value.ProviderSessionId, hosted.Value.Url, hosted.Value.ExpiresAt, Reused: false);
    }

    /// <summary>
    /// A base-plan price while the account has a live base-plan subscription (switch plans instead), or a one-time
    /// product the account owns unless the catalogue marks it repeatable. Add-ons are never refused here.
    /// </summary>
    private async Task<Error?> RefuseRepeatPurchaseAsync(Guid accountId, Price price, CancellationToken cancellationToken)
    {
        var plan = catalog.FindPlan(price.PlanId);
        if (plan.IsFailure || (price.IsRecurring && plan.Value.IsAddOn) || (!price.IsRecurring && plan.Value.IsRepeatable))
        {
            return null;
        }

        if (!price.IsRecurring)
        {
            var owned = await db.OwnedPlanIdsAsync(accountId, catalog, cancellationToken);
            return owned.Contains(plan.Value.Id) ? CheckoutErrors.AlreadyOwned(plan.Value.Id) : null;
        }

        var live = await db.Subscriptions.AsNoTracking()
            .Where(s => s.BillingAccountId == accountId && !s.IsAddOn && s.DuplicateOf == null
                        && s.Status != SubscriptionStatus.Canceled && s.Status != SubscriptionStatus.IncompleteExpired)
            .ToListAsync(cancellationToken);
        return Subscription.FindLiveBasePlan(live) is { } current
            ? CheckoutErrors.AlreadySubscribed(new CurrentSubscription(current.Id, current.PlanId, current.PriceId, current.Status))
            : null;
    }
}
