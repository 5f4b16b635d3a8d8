using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>
/// Two provider event sequences copied from the Application tests' BillingScenarios, for one provider slug and one
/// billing account, so each run in a shared class database has ids of its own.
/// </summary>
internal sealed class ApplierScenarios(string provider, Guid accountId)
{
    public const string Customer = "cus_a";
    private static readonly DateTimeOffset T0 = BillingSeed.T0;

    /// <summary>(a) Checkout with a 14-day trial, the trial converts to active, then one renewal.</summary>
    public IReadOnlyList<ProviderEvent> SignUpWithTrial() =>
    [
        Checkout("evt_a1", Minutes(1), "cs_sub", CheckoutMode.Subscription, "sub_a"),
        Sub("evt_a2", Minutes(1), "sub_a", SubscriptionStatus.Trialing, Days(0), Days(14), trialEnd: Days(14), metadata: true),
        Sub("evt_a3", Days(14), "sub_a", SubscriptionStatus.Active, Days(14), Days(44), trialEnd: Days(14), metadata: true),
        Paid("evt_a4", Days(14), "in_a1", "sub_a", 2000, Days(14), Days(44), attempts: 1),
        Succeeded("evt_a5", Days(14), "pi_a1", PaymentKind.Invoice, "in_a1", 2000),
        Sub("evt_a6", Days(44), "sub_a", SubscriptionStatus.Active, Days(44), Days(74), trialEnd: Days(14), metadata: true),
        Paid("evt_a7", Days(44), "in_a2", "sub_a", 2000, Days(44), Days(74), attempts: 1),
    ];

    /// <summary>(f) The subscription, its invoice and payment arrive before the checkout completion that links the customer.</summary>
    public IReadOnlyList<ProviderEvent> SubscriptionBeforeCheckout() =>
    [
        Sub("evt_f1", Minutes(1), "sub_f", SubscriptionStatus.Incomplete, Days(0), Days(30)),
        Sub("evt_f2", Minutes(2), "sub_f", SubscriptionStatus.Active, Days(0), Days(30)),
        Paid("evt_f3", Minutes(2), "in_f1", "sub_f", 2000, Days(0), Days(30), attempts: 1),
        Succeeded("evt_f4", Minutes(2), "pi_f1", PaymentKind.Invoice, "in_f1", 2000),
        Checkout("evt_f5", Minutes(3), "cs_sub", CheckoutMode.Subscription, "sub_f"),
        Sub("evt_f6", Days(3), "sub_f", SubscriptionStatus.Active, Days(0), Days(30), cancelAtPeriodEnd: true, canceledAt: Days(3)),
        Refund("evt_f7", Days(3), "pi_f1", "re_f1", 500),
    ];

    /// <summary>The checkout sessions the checkout flow stored before any webhook.</summary>
    public IReadOnlyList<CheckoutSession> Sessions() =>
    [
        BillingSeed.Session(accountId, provider, "cs_sub", "pro-monthly", CheckoutMode.Subscription),
        BillingSeed.Session(accountId, provider, "cs_pay", "credits-pack", CheckoutMode.Payment),
        BillingSeed.Session(accountId, provider, "cs_abandoned", "basic-monthly", CheckoutMode.Subscription),
    ];

    private static DateTimeOffset Minutes(int minutes) => T0.AddMinutes(minutes);

    private static DateTimeOffset Days(int days) => T0.AddDays(days);

    private CheckoutCompleted Checkout(string eventId, DateTimeOffset at, string sessionId, CheckoutMode mode, string resultId) =>
        new(provider, eventId, at, sessionId, Customer, accountId, mode, resultId);

    private SubscriptionChanged Sub(
        string eventId, DateTimeOffset at, string subscriptionId, SubscriptionStatus status, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        DateTimeOffset? trialEnd = null, bool cancelAtPeriodEnd = false, DateTimeOffset? canceledAt = null, bool metadata = false) =>
        new(provider, eventId, at, Customer, metadata ? accountId : null,
            new SubscriptionSnapshot(subscriptionId, status, "pro-monthly", "pro", 1, periodStart, periodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, null, at));

    private InvoicePaid Paid(
        string eventId, DateTimeOffset at, string invoiceId, string subscriptionId, long amount, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        int attempts) =>
        new(provider, eventId, at, Customer, null,
            new InvoiceDetails(invoiceId, subscriptionId, amount, "USD", periodStart, periodEnd, attempts,
                new Uri($"https://pay.example/{invoiceId}"), new Uri($"https://pay.example/{invoiceId}.pdf")),
            amount);

    private PaymentSucceeded Succeeded(string eventId, DateTimeOffset at, string paymentId, PaymentKind kind, string? invoiceId, long amount) =>
        new(provider, eventId, at, Customer, null, new PaymentDetails(paymentId, kind, invoiceId, amount, "USD"), "ch_" + paymentId, amount);

    private RefundRecorded Refund(string eventId, DateTimeOffset at, string paymentId, string refundId, long amount) =>
        new(provider, eventId, at, paymentId, refundId, amount, "USD", "requested_by_customer", at);
}
