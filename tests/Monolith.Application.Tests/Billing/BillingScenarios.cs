using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.TestSupport.Billing;

namespace Monolith.Application.Tests.Billing;

/// <summary>A starting state (what the checkout flow stored before any webhook) and the provider's events in order.</summary>
internal sealed record BillingScenario(string Name, IReadOnlyList<ProviderEvent> Events, bool LinkCustomerUpFront)
{
    public override string ToString() => Name;
}

/// <summary>Realistic provider event sequences, in the order the provider produced them.</summary>
internal static class BillingScenarios
{
    public const string Provider = "stripe";
    public const string Customer = "cus_a";
    public const string StrangerCustomer = "cus_stranger";
    public static readonly Guid AccountId = Guid.Parse("a1a1a1a1-0000-0000-0000-000000000001");
    public static readonly Guid OrganizationId = Guid.Parse("0a0a0a0a-0000-0000-0000-000000000001");
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static readonly BillingScenario[] All =
    [
        SignUpWithTrial(), PaymentFailureAndRecovery(), CancelAtPeriodEnd(), UpgradeMidPeriod(), OneTimePurchaseWithRefunds(),
        SubscriptionBeforeCheckout(),
    ];

    public static InMemoryBillingFactsStore Seed(bool linkCustomerUpFront)
    {
        var store = new InMemoryBillingFactsStore();
        var account = BillingAccount.Open(AccountId, OrganizationId, T0).Value;
        if (linkCustomerUpFront)
        {
            account.LinkCustomer(Provider, Customer, T0);
        }

        store.AddAccount(account);
        store.AddCheckoutSession(Session("cs_sub", "pro-monthly", CheckoutMode.Subscription));
        store.AddCheckoutSession(Session("cs_pay", "credits-pack", CheckoutMode.Payment));
        store.AddCheckoutSession(Session("cs_abandoned", "basic-monthly", CheckoutMode.Subscription));
        return store;
    }

    /// <summary>(a) Checkout with a 14-day trial, the trial converts to active, then one renewal.</summary>
    public static BillingScenario SignUpWithTrial() => new("a: trial -> active -> renewal",
    [
        Checkout("evt_a1", Minutes(1), "cs_sub", CheckoutMode.Subscription, "sub_a"),
        Sub("evt_a2", Minutes(1), "sub_a", SubscriptionStatus.Trialing, Days(0), Days(14), trialEnd: Days(14), metadata: true),
        Sub("evt_a3", Days(14), "sub_a", SubscriptionStatus.Active, Days(14), Days(44), trialEnd: Days(14), metadata: true),
        Paid("evt_a4", Days(14), "in_a1", "sub_a", 2000, Days(14), Days(44), attempts: 1),
        Succeeded("evt_a5", Days(14), "pi_a1", PaymentKind.Invoice, "in_a1", 2000),
        Sub("evt_a6", Days(44), "sub_a", SubscriptionStatus.Active, Days(44), Days(74), trialEnd: Days(14), metadata: true),
        Paid("evt_a7", Days(44), "in_a2", "sub_a", 2000, Days(44), Days(74), attempts: 1),
    ], LinkCustomerUpFront: false);

    /// <summary>(b) A renewal fails twice (past_due), then the retry succeeds and the subscription recovers.</summary>
    public static BillingScenario PaymentFailureAndRecovery() => new("b: payment failure -> past_due -> recovery",
    [
        Sub("evt_b1", Days(0), "sub_b", SubscriptionStatus.Active, Days(0), Days(30)),
        Sub("evt_b2", Days(30), "sub_b", SubscriptionStatus.PastDue, Days(30), Days(60)),
        AttemptFailed("evt_b3", Days(30), "in_b2", "sub_b", 2000, Days(30), Days(60), attempts: 1),
        Failed("evt_b4", Days(30), "pi_b2", PaymentKind.Invoice, "in_b2", 2000, "card_declined"),
        Failed("evt_b5", Days(33), "pi_b2", PaymentKind.Invoice, "in_b2", 2000, "insufficient_funds"),
        Paid("evt_b6", Days(35), "in_b2", "sub_b", 2000, Days(30), Days(60), attempts: 3),
        Sub("evt_b7", Days(35), "sub_b", SubscriptionStatus.Active, Days(30), Days(60)),
    ], LinkCustomerUpFront: true);

    /// <summary>(c) Cancellation scheduled, withdrawn, scheduled again; the provider deletes the subscription at period end.</summary>
    public static BillingScenario CancelAtPeriodEnd() => new("c: cancel at period end -> deleted",
    [
        Sub("evt_c1", Days(0), "sub_c", SubscriptionStatus.Active, Days(0), Days(30)),
        Paid("evt_c2", Days(0), "in_c1", "sub_c", 2000, Days(0), Days(30), attempts: 1),
        Sub("evt_c3", Days(5), "sub_c", SubscriptionStatus.Active, Days(0), Days(30), cancelAtPeriodEnd: true, canceledAt: Days(5)),
        Sub("evt_c4", Days(6), "sub_c", SubscriptionStatus.Active, Days(0), Days(30)),
        Sub("evt_c5", Days(7), "sub_c", SubscriptionStatus.Active, Days(0), Days(30), cancelAtPeriodEnd: true, canceledAt: Days(7)),
        Deleted("evt_c6", Days(30), "sub_c", Days(0), Days(30), canceledAt: Days(7), endedAt: Days(30)),
        new CheckoutExpired(Provider, "evt_c7", Days(1), "cs_abandoned"),
    ], LinkCustomerUpFront: true);

    /// <summary>(d) Upgrade from basic to pro mid-period, with a proration invoice, then seats added (two updates in the same second).</summary>
    public static BillingScenario UpgradeMidPeriod() => new("d: upgrade mid-period",
    [
        Sub("evt_d1", Days(0), "sub_d", SubscriptionStatus.Active, Days(0), Days(30), price: "basic-monthly", plan: "basic"),
        Paid("evt_d2", Days(0), "in_d1", "sub_d", 900, Days(0), Days(30), attempts: 1),
        Sub("evt_d3", Days(10), "sub_d", SubscriptionStatus.Active, Days(0), Days(30)),
        Paid("evt_d4", Days(10), "in_d2", "sub_d", 733, Days(10), Days(30), attempts: 1),
        Succeeded("evt_d5", Days(10), "pi_d2", PaymentKind.Invoice, "in_d2", 733),
        Sub("evt_d6", Days(12), "sub_d", SubscriptionStatus.Active, Days(0), Days(30), quantity: 3),
        Sub("evt_d7", Days(12), "sub_d", SubscriptionStatus.Active, Days(0), Days(30), quantity: 2),
    ], LinkCustomerUpFront: true);

    /// <summary>(e) A one-time purchase: two declined attempts, a capture, two partial refunds and a redelivered refund.</summary>
    public static BillingScenario OneTimePurchaseWithRefunds() => new("e: one-time purchase -> refund",
    [
        Checkout("evt_e1", Minutes(5), "cs_pay", CheckoutMode.Payment, "pi_e"),
        Failed("evt_e2", Minutes(2), "pi_e", PaymentKind.OneTime, null, 5000, "card_declined"),
        Failed("evt_e3", Minutes(3), "pi_e", PaymentKind.OneTime, null, 5000, "insufficient_funds"),
        Succeeded("evt_e4", Minutes(4), "pi_e", PaymentKind.OneTime, null, 5000),
        Refund("evt_e5", Days(2), "pi_e", "re_1", 2000),
        Refund("evt_e6", Days(3), "pi_e", "re_2", 3000),
        Refund("evt_e7", Days(4), "pi_e", "re_1", 2000, refundedAt: Days(2)),
    ], LinkCustomerUpFront: false);

    /// <summary>(f) The subscription, its invoice and payment arrive before the checkout completion that links the customer.</summary>
    public static BillingScenario SubscriptionBeforeCheckout() => new("f: subscription before checkout completion",
    [
        Sub("evt_f1", Minutes(1), "sub_f", SubscriptionStatus.Incomplete, Days(0), Days(30)),
        Sub("evt_f2", Minutes(2), "sub_f", SubscriptionStatus.Active, Days(0), Days(30)),
        Paid("evt_f3", Minutes(2), "in_f1", "sub_f", 2000, Days(0), Days(30), attempts: 1),
        Succeeded("evt_f4", Minutes(2), "pi_f1", PaymentKind.Invoice, "in_f1", 2000),
        Checkout("evt_f5", Minutes(3), "cs_sub", CheckoutMode.Subscription, "sub_f"),
        Sub("evt_f6", Days(3), "sub_f", SubscriptionStatus.Active, Days(0), Days(30), cancelAtPeriodEnd: true, canceledAt: Days(3)),
        Refund("evt_f7", Days(3), "pi_f1", "re_f1", 500),
    ], LinkCustomerUpFront: false);

    /// <summary>
    /// A long life: checkout linking the customer after early subscription events, trial, three renewals, a failed
    /// renewal and recovery, an upgrade, a scheduled cancellation, deletion, a one-time purchase with refunds, and
    /// events of a customer nobody links (they must stay parked, never attached to this account).
    /// </summary>
    public static BillingScenario LongLife() => new("long life",
    [
        Sub("evt_l01", Minutes(1), "sub_l", SubscriptionStatus.Trialing, Days(0), Days(14), trialEnd: Days(14)),
        Checkout("evt_l02", Minutes(2), "cs_sub", CheckoutMode.Subscription, "sub_l"),
        Sub("evt_l03", Days(14), "sub_l", SubscriptionStatus.Active, Days(14), Days(44), trialEnd: Days(14)),
        Paid("evt_l04", Days(14), "in_l1", "sub_l", 2000, Days(14), Days(44), attempts: 1),
        Succeeded("evt_l05", Days(14), "pi_l1", PaymentKind.Invoice, "in_l1", 2000),
        Sub("evt_l06", Days(44), "sub_l", SubscriptionStatus.PastDue, Days(44), Days(74), trialEnd: Days(14)),
        AttemptFailed("evt_l07", Days(44), "in_l2", "sub_l", 2000, Days(44), Days(74), attempts: 1),
        Failed("evt_l08", Days(44), "pi_l2", PaymentKind.Invoice, "in_l2", 2000, "card_declined"),
        Paid("evt_l09", Days(47), "in_l2", "sub_l", 2000, Days(44), Days(74), attempts: 2),
        Succeeded("evt_l10", Days(47), "pi_l2", PaymentKind.Invoice, "in_l2", 2000),
        Sub("evt_l11", Days(47), "sub_l", SubscriptionStatus.Active, Days(44), Days(74), trialEnd: Days(14)),
        Sub("evt_l12", Days(50), "sub_l", SubscriptionStatus.Active, Days(44), Days(74), trialEnd: Days(14), price: "team-monthly", plan: "team"),
        Checkout("evt_l13", Days(51), "cs_pay", CheckoutMode.Payment, "pi_l3"),
        Succeeded("evt_l14", Days(51), "pi_l3", PaymentKind.OneTime, null, 5000),
        Refund("evt_l15", Days(52), "pi_l3", "re_l1", 1500),
        Sub("evt_l16", Days(60), "sub_l", SubscriptionStatus.Active, Days(44), Days(74), trialEnd: Days(14), price: "team-monthly", plan: "team",
            cancelAtPeriodEnd: true, canceledAt: Days(60)),
        Deleted("evt_l17", Days(74), "sub_l", Days(44), Days(74), trialEnd: Days(14), price: "team-monthly", plan: "team", canceledAt: Days(60),
            endedAt: Days(74)),
        Sub("evt_l18", Days(2), "sub_x", SubscriptionStatus.Active, Days(2), Days(32), customer: StrangerCustomer),
        Succeeded("evt_l19", Days(2), "pi_x", PaymentKind.OneTime, null, 700, customer: StrangerCustomer),
        new CheckoutExpired(Provider, "evt_l20", Days(1), "cs_abandoned"),
    ], LinkCustomerUpFront: false);

    private static CheckoutSession Session(string id, string priceId, CheckoutMode mode) =>
        CheckoutSession.Open(Guid.NewGuid(), AccountId, Provider, id, priceId, mode, T0.AddDays(1), T0).Value;

    private static DateTimeOffset Minutes(int minutes) => T0.AddMinutes(minutes);

    private static DateTimeOffset Days(int days) => T0.AddDays(days);

    private static CheckoutCompleted Checkout(string eventId, DateTimeOffset at, string sessionId, CheckoutMode mode, string resultId) =>
        new(Provider, eventId, at, sessionId, Customer, AccountId, mode, resultId);

    private static SubscriptionChanged Sub(
        string eventId, DateTimeOffset at, string subscriptionId, SubscriptionStatus status, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        DateTimeOffset? trialEnd = null, bool cancelAtPeriodEnd = false, DateTimeOffset? canceledAt = null, int quantity = 1,
        string price = "pro-monthly", string plan = "pro", bool metadata = false, string customer = Customer) =>
        new(Provider, eventId, at, customer, metadata ? AccountId : null,
            new SubscriptionSnapshot(subscriptionId, status, price, plan, quantity, periodStart, periodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, null, at));

    private static SubscriptionDeleted Deleted(
        string eventId, DateTimeOffset at, string subscriptionId, DateTimeOffset periodStart, DateTimeOffset periodEnd, DateTimeOffset canceledAt,
        DateTimeOffset endedAt, DateTimeOffset? trialEnd = null, string price = "pro-monthly", string plan = "pro") =>
        new(Provider, eventId, at, Customer, null,
            new SubscriptionSnapshot(subscriptionId, SubscriptionStatus.Canceled, price, plan, 1, periodStart, periodEnd, trialEnd, false, canceledAt, endedAt, at));

    private static InvoiceDetails Invoice(
        string invoiceId, string subscriptionId, long due, DateTimeOffset periodStart, DateTimeOffset periodEnd, int attempts) =>
        new(invoiceId, subscriptionId, due, "USD", periodStart, periodEnd, attempts,
            new Uri($"https://pay.example/{invoiceId}"), new Uri($"https://pay.example/{invoiceId}.pdf"));

    private static InvoicePaid Paid(
        string eventId, DateTimeOffset at, string invoiceId, string subscriptionId, long amount, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        int attempts) =>
        new(Provider, eventId, at, Customer, null, Invoice(invoiceId, subscriptionId, amount, periodStart, periodEnd, attempts), amount);

    private static InvoicePaymentFailed AttemptFailed(
        string eventId, DateTimeOffset at, string invoiceId, string subscriptionId, long amount, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        int attempts) =>
        new(Provider, eventId, at, Customer, null, Invoice(invoiceId, subscriptionId, amount, periodStart, periodEnd, attempts));

    private static PaymentSucceeded Succeeded(
        string eventId, DateTimeOffset at, string paymentId, PaymentKind kind, string? invoiceId, long amount, string customer = Customer) =>
        new(Provider, eventId, at, customer, null, new PaymentDetails(paymentId, kind, invoiceId, amount, "USD"), "ch_" + paymentId, amount);

    private static PaymentFailed Failed(
        string eventId, DateTimeOffset at, string paymentId, PaymentKind kind, string? invoiceId, long amount, string code) =>
        new(Provider, eventId, at, Customer, null, new PaymentDetails(paymentId, kind, invoiceId, amount, "USD"), code);

    private static RefundRecorded Refund(
        string eventId, DateTimeOffset at, string paymentId, string refundId, long amount, DateTimeOffset? refundedAt = null) =>
        new(Provider, eventId, at, paymentId, refundId, amount, "USD", "requested_by_customer", refundedAt ?? at);
}
