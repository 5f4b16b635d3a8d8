using System.Globalization;
using System.Net;
using System.Text;
using Monolith.Application.Common.Email;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications;

/// <summary>
/// The billing emails' templates: a plain-text and an HTML body from the same lines, links absolute on the app's
/// origin. Everything that comes from data is HTML-encoded in the HTML body.
/// </summary>
internal sealed class BillingEmails(IAppOrigin origin)
{
    public const string BillingPath = "/billing";

    public Uri BillingUrl => new(origin.Current, BillingPath);

    public EmailMessage Receipt(BillingContact to, Money amount, DateTimeOffset paidAt, string reference, string key) =>
        Compose(to, $"Receipt: {FormatMoney(amount)} paid", key,
            $"Thank you. We received your payment of {FormatMoney(amount)} for {to.OrganizationName} on {FormatDate(paidAt)}.",
            $"Reference: {reference}",
            ("View your billing history", BillingUrl));

    public EmailMessage PaymentFailed(BillingContact to, Money amountDue, int attempt, string key) =>
        Compose(to, $"Action needed: your payment of {FormatMoney(amountDue)} failed", key,
            $"We could not collect {FormatMoney(amountDue)} for {to.OrganizationName} (attempt {attempt.ToString(CultureInfo.InvariantCulture)}).",
            "Please update your payment method so your subscription stays active. We will retry the payment automatically.",
            ("Update your payment method", BillingUrl));

    public EmailMessage DunningReminder(BillingContact to, string planName, int number, string key) =>
        Compose(to, $"Reminder: your {planName} payment is still outstanding", key,
            $"The latest payment for the {planName} subscription of {to.OrganizationName} has not gone through yet (reminder {number.ToString(CultureInfo.InvariantCulture)}).",
            "Please update your payment method; access may be limited once the grace period ends.",
            ("Update your payment method", BillingUrl));

    public EmailMessage SubscriptionCanceled(BillingContact to, string planName, DateTimeOffset? endedAt, string key) =>
        Compose(to, $"Your {planName} subscription was canceled", key,
            $"The {planName} subscription of {to.OrganizationName} was canceled" +
            (endedAt is { } end ? $" and ended on {FormatDate(end)}." : "."),
            "You can subscribe again at any time.",
            ("Choose a plan", BillingUrl));

    public EmailMessage TrialEnding(BillingContact to, string planName, DateTimeOffset trialEnd, string key) =>
        Compose(to, $"Your {planName} trial ends on {FormatDate(trialEnd)}", key,
            $"The {planName} trial of {to.OrganizationName} ends on {FormatDate(trialEnd)}.",
            "Add or check your payment method to keep your plan without interruption.",
            ("Manage billing", BillingUrl));

    public static string FormatMoney(Money money)
    {
        var currency = money.Currency.ToUpperInvariant();
        var digits = currency is "JPY" or "KRW" or "VND" or "CLP" ? 0 : 2;
        var major = digits == 0
            ? money.AmountMinor.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{money.AmountMinor / 100}.{Math.Abs(money.AmountMinor % 100):00}");
        return $"{major} {currency}";
    }

    private static string FormatDate(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static EmailMessage Compose(BillingContact to, string subject, string key, string lead, string detail, (string Text, Uri Url) action)
    {
        var text = new StringBuilder()
            .Append("Hello,\n\n")
            .Append(lead).Append("\n\n")
            .Append(detail).Append("\n\n")
            .Append(action.Text).Append(": ").Append(action.Url.AbsoluteUri).Append('\n')
            .ToString();
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>Hello,</p>")
            .Append("<p>").Append(WebUtility.HtmlEncode(lead)).Append("</p>")
            .Append("<p>").Append(WebUtility.HtmlEncode(detail)).Append("</p>")
            .Append("<p><a href=\"").Append(WebUtility.HtmlEncode(action.Url.AbsoluteUri)).Append("\">")
            .Append(WebUtility.HtmlEncode(action.Text)).Append("</a></p>")
            .Append("</body></html>")
            .ToString();
        return new EmailMessage(to.Email, subject, text, html, key);
    }
}
