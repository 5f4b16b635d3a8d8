using Monolith.Application.Billing.Invoices.ListInvoices;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Web.Pages.Billing;

/// <summary>
/// The banner /billing shows for a subscription state a customer should act on or know about: what is wrong or coming,
/// in words and money, and the one action that helps. Active without anything scheduled: no banner.
/// </summary>
/// <param name="IsProblem">A problem (payment failed, overdue, awaiting payment) rather than information.</param>
/// <param name="OffersPaymentUpdate">Offer "Update payment method" (the provider's portal).</param>
/// <param name="PayNowUrl">The provider's hosted page for the open invoice, when it has one ("Pay now").</param>
/// <param name="OffersResubscribe">Offer "Resubscribe" (the pricing page).</param>
internal sealed record BillingStatusBanner(
    bool IsProblem, string Title, string Detail, bool OffersPaymentUpdate, Uri? PayNowUrl, bool OffersResubscribe)
{
    private const string Date = "d MMM yyyy";

    public static BillingStatusBanner? For(
        SubscriptionSummary subscription, IReadOnlyList<InvoiceSummary> invoices, Price? price, AccessPolicy policy, DateTimeOffset now)
    {
        var open = invoices.Where(i => i.Status == InvoiceStatus.Open).MaxBy(i => i.PeriodStart);
        var due = open is null ? "The invoice" : MoneyFormat.Format(open.AmountDueMinor - open.AmountPaidMinor, open.Currency);
        var renewal = price is null ? "the plan's price" : $"{MoneyFormat.Format(price.Amount.AmountMinor * subscription.Quantity, price.Amount.Currency)} per {BillingText.Per(price.Interval)}";

        switch (subscription.Status)
        {
            case SubscriptionStatus.PastDue:
                var access = new SubscriptionAccess(subscription.PlanId, subscription.Status, subscription.CancelAtPeriodEnd,
                    subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
                var stillOn = policy.Grants(access, now, out var until);
                var consequence = stillOn && until is { } end
                    ? $"Paid features stay on until {end.ToString(Date)}."
                    : "Paid features are off until it is paid.";
                return new(true, "Your last payment failed", $"{due} is due. {consequence} Update your payment method and we retry the payment.",
                    true, open?.HostedUrl, false);
            case SubscriptionStatus.Unpaid:
                return new(true, "Payment overdue", $"{due} is unpaid and paid features are off until it is paid.", true, open?.HostedUrl, false);
            case SubscriptionStatus.Incomplete:
                return new(true, "Waiting for your first payment", "Your plan starts once the first payment goes through.", true, open?.HostedUrl, false);
            case SubscriptionStatus.Paused:
                return new(false, "Your subscription is paused", "Paid features are off while it is paused and nothing is charged. Resume it from the payment portal.",
                    true, null, false);
            case SubscriptionStatus.Canceled or SubscriptionStatus.IncompleteExpired:
                var ended = subscription.CanceledAt ?? subscription.CurrentPeriodEnd;
                return new(false, "Your subscription has ended", $"It ended on {ended.ToString(Date)}. Resubscribe any time.", false, null, true);
            case SubscriptionStatus.Trialing when subscription.TrialEnd is { } trialEnd:
                var days = Math.Max(0, (int)Math.Ceiling((trialEnd - now).TotalDays));
                var then = subscription.CancelAtPeriodEnd ? "then it ends and nothing is charged." : $"then {renewal} is charged.";
                return new(false, $"Trial: {days} {(days == 1 ? "day" : "days")} left", $"Your trial ends on {trialEnd.ToString(Date)}; {then}", false, null, false);
            case SubscriptionStatus.Active when subscription.CancelAtPeriodEnd:
                return new(false, $"Your plan ends on {subscription.CurrentPeriodEnd.ToString(Date)}",
                    "You keep access until then and nothing more is charged. Resume to keep your plan.", false, null, false);
            default:
                return null;
        }
    }
}
