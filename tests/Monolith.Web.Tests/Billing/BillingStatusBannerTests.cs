using Monolith.Application.Billing.Invoices.ListInvoices;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;
using Monolith.Web.Pages.Billing;

namespace Monolith.Web.Tests.Billing;

/// <summary>What /billing's banner says in each state (the browser journeys cover past due, ending and ended).</summary>
public sealed class BillingStatusBannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Price Pro = Price.Create("pro-monthly", "pro", Money.Create(1900, "EUR").Value, BillingInterval.Month,
        new Dictionary<string, string>(), active: true).Value;

    private static SubscriptionSummary Subscription(SubscriptionStatus status, DateTimeOffset? trialEnd = null, bool cancelAtPeriodEnd = false, int quantity = 1) =>
        new(Guid.NewGuid(), "inmemory", "pro", "pro-monthly", status, quantity, Now.AddDays(-10), Now.AddDays(20), trialEnd, cancelAtPeriodEnd, null);

    private static BillingStatusBanner? For(SubscriptionSummary subscription, params InvoiceSummary[] invoices) =>
        BillingStatusBanner.For(subscription, invoices, Pro, AccessPolicy.Default, Now);

    [Fact]
    public void Trial_CountsTheDaysLeft_AndSaysWhatIsChargedAtItsEnd()
    {
        var banner = For(Subscription(SubscriptionStatus.Trialing, trialEnd: Now.AddDays(3).AddHours(-2), quantity: 3))!;

        Assert.Equal("Trial: 3 days left", banner.Title);
        Assert.Equal("Your trial ends on 10 Dec 2026; then €57.00 per month is charged.", banner.Detail);
        Assert.False(banner.IsProblem);
        Assert.Contains("nothing is charged", For(Subscription(SubscriptionStatus.Trialing, Now.AddHours(5), cancelAtPeriodEnd: true))!.Detail, StringComparison.Ordinal);
        Assert.Equal("Trial: 1 day left", For(Subscription(SubscriptionStatus.Trialing, Now.AddHours(5)))!.Title);
    }

    [Fact]
    public void PastDue_AfterTheGracePeriod_SaysPaidFeaturesAreOff_AndOffersTheHostedInvoice()
    {
        var hosted = new Uri("https://invoice.example.test/in_1");
        var open = new InvoiceSummary(Guid.NewGuid(), InvoiceStatus.Open, 1900, 500, "EUR", Now.AddDays(-10), Now.AddDays(20), hosted, null);

        var banner = For(Subscription(SubscriptionStatus.PastDue), open)!;

        Assert.True(banner.IsProblem);
        Assert.StartsWith("€14.00 is due. Paid features are off until it is paid.", banner.Detail, StringComparison.Ordinal);
        Assert.Equal(hosted, banner.PayNowUrl);
        Assert.True(banner.OffersPaymentUpdate);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Unpaid, "Payment overdue", true)]
    [InlineData(SubscriptionStatus.Incomplete, "Waiting for your first payment", true)]
    [InlineData(SubscriptionStatus.Paused, "Your subscription is paused", false)]
    public void OtherStates_HaveTheirBanner(SubscriptionStatus status, string title, bool problem)
    {
        var banner = For(Subscription(status))!;

        Assert.Equal(title, banner.Title);
        Assert.Equal(problem, banner.IsProblem);
        Assert.True(banner.OffersPaymentUpdate);
    }

    [Fact]
    public void Active_WithNothingScheduled_HasNoBanner() => Assert.Null(For(Subscription(SubscriptionStatus.Active)));

    [Theory]
    [InlineData("card", "visa", "4242", 12, 2034, "Visa ending 4242 · expires 12/2034")]
    [InlineData("card", "amex", "0005", 3, 2030, "American Express ending 0005 · expires 03/2030")]
    [InlineData("card", "visa", "9995", null, null, "Visa ending 9995")]
    [InlineData("sepa_debit", null, null, null, null, "Sepa debit")]
    public void PaymentMethod_ReadsAsWords(string type, string? brand, string? last4, int? month, int? year, string expected) =>
        Assert.Equal(expected, BillingText.PaymentMethod(new Monolith.Application.Billing.PaymentMethods.PaymentMethodSummary("pm_1", type, brand, last4, month, year)));
}
