using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Web.Pages.Billing;

/// <summary>Statuses and intervals as a customer reads them ("Past due", not "PastDue" or "past_due").</summary>
internal static class BillingText
{
    public static string Status(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Incomplete => "Awaiting payment",
        SubscriptionStatus.IncompleteExpired => "Expired",
        SubscriptionStatus.Trialing => "Trial",
        SubscriptionStatus.Active => "Active",
        SubscriptionStatus.PastDue => "Past due",
        SubscriptionStatus.Unpaid => "Unpaid",
        SubscriptionStatus.Paused => "Paused",
        SubscriptionStatus.Canceled => "Canceled",
        _ => "Unknown",
    };

    public static string Status(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Open => "Open",
        InvoiceStatus.Paid => "Paid",
        InvoiceStatus.Uncollectible => "Uncollectible",
        InvoiceStatus.Void => "Void",
        _ => "Unknown",
    };

    /// <summary>"Visa ending 4242 · expires 12/2034" (expiry when the provider gives it); other types by their name in words.</summary>
    public static string PaymentMethod(Monolith.Application.Billing.PaymentMethods.PaymentMethodSummary method)
    {
        if (method.Type != "card" || method.Last4 is null)
        {
            return Monolith.Infrastructure.Billing.Catalog.CatalogCopy.Words(method.Type);
        }

        var brand = method.Brand switch
        {
            null or "" or "unknown" => "Card",
            "amex" => "American Express",
            "mastercard" => "Mastercard",
            "visa" => "Visa",
            var other => Monolith.Infrastructure.Billing.Catalog.CatalogCopy.Words(other),
        };
        var expiry = method is { ExpMonth: { } month, ExpYear: { } year } ? $" · expires {month:00}/{year}" : string.Empty;
        return $"{brand} ending {method.Last4}{expiry}";
    }

    /// <summary>"month", "year", "once": what follows "€19.00 /" or "per".</summary>
    public static string Per(BillingInterval interval) => interval switch
    {
        BillingInterval.Month => "month",
        BillingInterval.Year => "year",
        _ => "once",
    };

    /// <summary>
    /// What paying yearly saves against twelve monthly payments of the same plan and currency, in whole percent
    /// (rounded down, so the page never promises more than the prices give), or null when there is no saving.
    /// </summary>
    public static int? YearlySavingPercent(Price monthly, Price yearly)
    {
        if (monthly.Interval != BillingInterval.Month || yearly.Interval != BillingInterval.Year
            || monthly.Amount.Currency != yearly.Amount.Currency || monthly.Amount.AmountMinor <= 0)
        {
            return null;
        }

        var twelve = (decimal)monthly.Amount.AmountMinor * 12;
        var percent = (int)Math.Floor((twelve - yearly.Amount.AmountMinor) / twelve * 100);
        return percent > 0 ? percent : null;
    }
}
