using MediatR;
using Monolith.Application.Billing.Checkout;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions.ChangePlan;

internal sealed class ChangePlanHandler(IAppDbContext db, IPaymentsPort payments, PlanCatalog catalog)
    : IRequestHandler<ChangePlanCommand, Result<SubscriptionChangeRequested>>
{
    public static readonly Error NotRecurring = Error.Rule("billing.subscription.price_not_recurring", "A subscription can only move to a recurring price.");

    public static readonly Error CurrencyChange = Error.Rule("billing.subscription.currency_change", "A subscription cannot change currency.");

    public static readonly Error KindChange = Error.Rule(
        "billing.subscription.kind_change", "A base-plan subscription cannot move to an add-on, nor an add-on to a base plan.");

    public static readonly Error NoChange = Error.Rule("billing.subscription.no_change", "The subscription already has this price and quantity.");

    public async Task<Result<SubscriptionChangeRequested>> Handle(ChangePlanCommand request, CancellationToken cancellationToken)
    {
        var subscription = await db.FindOfOrganizationAsync(request.OrganizationId, request.SubscriptionId, cancellationToken);
        if (subscription.IsFailure)
        {
            return subscription.Error;
        }

        var current = subscription.Value;
        if (current.IsTerminal)
        {
            return SubscriptionLookups.Ended;
        }

        var target = catalog.FindPrice(request.PriceId);
        if (target.IsFailure)
        {
            return CheckoutErrors.PriceNotFound;
        }

        var price = target.Value;
        if (!price.IsActive)
        {
            return CheckoutErrors.PriceInactive;
        }

        if (!price.IsRecurring)
        {
            return NotRecurring;
        }

        if (catalog.FindPlan(price.PlanId) is { IsSuccess: true } plan && plan.Value.IsAddOn != current.IsAddOn)
        {
            return KindChange;
        }

        if (price.ProviderPriceIdFor(payments.Provider) is not { } providerPriceId)
        {
            return CheckoutErrors.PriceNotOffered;
        }

        if (price.Id == current.PriceId && request.Quantity == current.Quantity)
        {
            return NoChange;
        }

        var currentPrice = catalog.FindPrice(current.PriceId);
        if (currentPrice.IsSuccess && currentPrice.Value.Amount.Currency != price.Amount.Currency)
        {
            return CurrencyChange;
        }

        var upgrade = currentPrice.IsFailure || PerYear(price, request.Quantity) > PerYear(currentPrice.Value, current.Quantity);
        var changed = await payments.ChangeSubscriptionAsync(
            new ChangeSubscriptionRequest(current.ProviderSubscriptionId, providerPriceId, request.Quantity,
                upgrade ? ProrationMode.AlwaysInvoice : ProrationMode.None, AtPeriodEnd: !upgrade),
            $"change-{current.Id:N}-{price.Id}-{request.Quantity}-{request.IdempotencyKey ?? current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken);
        return changed.IsFailure
            ? changed.Error
            : new SubscriptionChangeRequested(current.Id, upgrade ? "upgrade_now" : "downgrade_at_period_end", current.Status);
    }

    /// <summary>Compares a yearly and a monthly price fairly: minor units per year (whole numbers, no rounding).</summary>
    private static long PerYear(Price price, int quantity) =>
        checked(price.Amount.AmountMinor * quantity * (price.Interval == BillingInterval.Month ? 12 : 1));
}
