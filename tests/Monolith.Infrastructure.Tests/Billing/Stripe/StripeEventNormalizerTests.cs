using System.Text.Json.Nodes;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>Events built from Stripe's official fixtures, in the current (basil) shape and the older one.</summary>
public sealed class StripeEventNormalizerTests : IAsyncLifetime
{
    private static readonly Guid Account = Guid.Parse("6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f");
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1767225600);
    private StripeHarness _stripe = null!;

    public async Task InitializeAsync() => _stripe = await StripeHarness.StartAsync();

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Theory]
    [InlineData("customer.subscription.created")]
    [InlineData("customer.subscription.updated")]
    [InlineData("customer.subscription.paused")]
    [InlineData("customer.subscription.resumed")]
    public void Subscription_BothShapes_GiveTheSameSnapshot(string type)
    {
        var basil = StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly, Account);

        var current = Single<SubscriptionChanged>(type, basil);
        var legacy = Single<SubscriptionChanged>(type, StripeFixtures.ToLegacySubscription(basil), "2024-06-20");

        Assert.Equal(current, legacy);
        Assert.Equal("cus_QXg1o8vcGmoR32", current.CustomerId);
        Assert.Equal(Account, current.MetadataAccountId);
        Assert.Equal(Created, current.OccurredAt);
        var s = current.Snapshot;
        Assert.Equal(("sub_1", SubscriptionStatus.Active, "pro-monthly", "pro", 1), (s.ProviderSubscriptionId, s.Status, s.PriceId, s.PlanId, s.Quantity));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), s.CurrentPeriodStart);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1769904000), s.CurrentPeriodEnd);
        Assert.False(s.CancelAtPeriodEnd);
    }

    [Fact]
    public void SubscriptionDeleted_IsTheFinalSnapshot()
    {
        var s = StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly, Account);
        s["status"] = "canceled";
        s["ended_at"] = 1767300000;
        s["canceled_at"] = 1767300000;

        var deleted = Single<SubscriptionDeleted>("customer.subscription.deleted", s);

        Assert.Equal(SubscriptionStatus.Canceled, deleted.Snapshot.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767300000), deleted.Snapshot.EndedAt);
    }

    [Fact]
    public void Subscription_CancelAtEqualToPeriodEnd_ReadsAsCancelAtPeriodEnd()
    {
        var s = StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly);
        s["cancel_at"] = 1769904000;

        Assert.True(Single<SubscriptionChanged>("customer.subscription.updated", s).Snapshot.CancelAtPeriodEnd);
    }

    [Fact]
    public void Subscription_WithAPriceOutsideTheCatalogue_IsRefusedWithAStableCode()
    {
        var s = StripeFixtures.Subscription("sub_1", "price_unknown");

        var result = Parse("customer.subscription.updated", s);

        Assert.Equal("billing.webhook.price_unknown", result.Error!.Code);
    }

    [Theory]
    [InlineData("invoice.paid")]
    [InlineData("invoice.payment_succeeded")]
    public void InvoicePaid_BothShapes_GiveTheSameFacts(string type)
    {
        var (basil, legacy) = Invoices();

        var current = Single<InvoicePaid>(type, basil);
        var old = Single<InvoicePaid>(type, legacy, "2024-06-20");

        Assert.Equal(current, old);
        Assert.Equal("sub_1", current.Invoice.ProviderSubscriptionId);
        Assert.Equal(Account, current.MetadataAccountId);
        Assert.Equal(("in_1Pgc6tB7WZ01zgkWu9fdqL6I", 1000L, "USD"), (current.Invoice.ProviderInvoiceId, current.Invoice.AmountDueMinor, current.Invoice.Currency));
        Assert.Equal(1000, current.AmountPaidMinor);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1721954054), current.Invoice.PeriodStart);
    }

    [Fact]
    public void InvoicePaymentFailed_BothShapes_GiveTheSameFacts()
    {
        var (basil, legacy) = Invoices();

        var current = Single<InvoicePaymentFailed>("invoice.payment_failed", basil);

        Assert.Equal(current, Single<InvoicePaymentFailed>("invoice.payment_failed", legacy, "2024-06-20"));
        Assert.Equal(2, current.Invoice.AttemptCount);
    }

    [Theory]
    [InlineData("checkout.session.completed")]
    [InlineData("checkout.session.async_payment_succeeded")]
    public void CheckoutCompleted_IsAttributedByClientReferenceId(string type)
    {
        var c = StripeFiles.Fixture("checkout.session");
        c["id"] = "cs_test_1";
        c["mode"] = "subscription";
        c["customer"] = "cus_1";
        c["subscription"] = "sub_1";
        c["client_reference_id"] = Account.ToString();

        var completed = Single<CheckoutCompleted>(type, c);

        Assert.Equal(("cs_test_1", "cus_1", (Guid?)Account, CheckoutMode.Subscription, "sub_1"),
            (completed.ProviderSessionId, completed.CustomerId, completed.ClientReferenceAccountId, completed.Mode, completed.ProviderResultId));
    }

    [Fact]
    public void CheckoutCompleted_PaymentModeWithoutClientReference_FallsBackToMetadata()
    {
        var c = StripeFiles.Fixture("checkout.session");
        c["id"] = "cs_test_2";
        c["mode"] = "payment";
        c["client_reference_id"] = null;
        c["payment_intent"] = new JsonObject { ["id"] = "pi_1", ["object"] = "payment_intent" };
        c["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString() };

        var completed = Single<CheckoutCompleted>("checkout.session.completed", c);

        Assert.Equal((Account, CheckoutMode.Payment, "pi_1"), (completed.ClientReferenceAccountId!.Value, completed.Mode, completed.ProviderResultId));
    }

    [Fact]
    public void CheckoutExpired_AndAsyncPaymentFailed()
    {
        var c = StripeFiles.Fixture("checkout.session");
        c["id"] = "cs_test_3";

        Assert.Equal("cs_test_3", Single<CheckoutExpired>("checkout.session.expired", c).ProviderSessionId);
        Assert.Empty(Parse("checkout.session.async_payment_failed", c).Value.Events);
    }

    [Fact]
    public void PaymentIntent_SucceededAndFailed()
    {
        var p = StripeFiles.Fixture("payment_intent");
        p["id"] = "pi_1";
        p["amount"] = 9900;
        p["amount_received"] = 9900;
        p["currency"] = "eur";
        p["latest_charge"] = "ch_1";
        p["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString() };
        p["last_payment_error"] = new JsonObject { ["code"] = "card_declined", ["decline_code"] = "insufficient_funds" };

        var ok = Single<PaymentSucceeded>("payment_intent.succeeded", p);
        var failed = Single<PaymentFailed>("payment_intent.payment_failed", p);

        Assert.Equal(("pi_1", 9900L, "EUR", "ch_1", 9900L, (Guid?)Account), (ok.Payment.ProviderPaymentId, ok.Payment.AmountMinor, ok.Payment.Currency, ok.ProviderChargeId, ok.CapturedMinor, ok.MetadataAccountId));
        Assert.Equal("insufficient_funds", failed.FailureCode);
    }

    [Fact]
    public void Refunds_FromRefundCreatedAndFromAnExpandedCharge()
    {
        var r = StripeFiles.Fixture("refund");
        r["payment_intent"] = "pi_1";
        var charge = StripeFiles.Fixture("charge");
        charge["payment_intent"] = "pi_1";
        charge["refunds"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(r.DeepClone()) };

        var created = Single<RefundRecorded>("refund.created", r);
        var fromCharge = Single<RefundRecorded>("charge.refunded", charge);

        Assert.Equal(("pi_1", "re_1Pgc72B7WZ01zgkWqPvrRrPE", 100L, "USD"), (created.ProviderPaymentId, created.ProviderRefundId, created.AmountMinor, created.Currency));
        Assert.Equal(created.ProviderRefundId, fromCharge.ProviderRefundId);
    }

    [Theory]
    [InlineData("customer.created", "customer")]
    [InlineData("invoice.created", "invoice")]
    [InlineData("product.updated", "product")]
    public void OtherEventTypes_AreAcceptedWithNoEvents(string type, string fixture)
    {
        var result = Parse(type, StripeFiles.Fixture(fixture));

        Assert.True(result.IsSuccess);
        Assert.Equal(type, result.Value.EventType);
        Assert.Empty(result.Value.Events);
    }

    [Fact]
    public void Envelope_WithoutDataObject_IsPayloadInvalid()
    {
        var body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1}"u8.ToArray();

        var result = _stripe.Port.ParseWebhook(body, StripeWebhookSignatureTests.Headers(StripeWebhookSigner.Header(body, DateTimeOffset.FromUnixTimeSeconds(1), StripeHarness.WebhookSecret)), DateTimeOffset.FromUnixTimeSeconds(1));

        Assert.Equal(PaymentsErrors.PayloadInvalid, result.Error);
    }

    private static (JsonObject Basil, JsonObject Legacy) Invoices()
    {
        var basil = StripeFiles.Fixture("invoice");
        basil["amount_paid"] = 1000;
        basil["attempt_count"] = 2;
        basil["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject
            {
                ["subscription"] = "sub_1",
                ["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString() },
            },
        };
        var legacy = basil.DeepClone().AsObject();
        legacy.Remove("parent");
        legacy["subscription"] = "sub_1";
        legacy["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString() } };
        legacy["charge"] = "ch_1";
        legacy["paid"] = true;
        return (basil, legacy);
    }

    private Monolith.Domain.Common.Result<ParsedWebhook> Parse(string type, JsonObject obj, string apiVersion = "2025-03-31.basil")
    {
        var body = StripeFiles.Event(type, obj, apiVersion: apiVersion);
        return _stripe.Port.ParseWebhook(body, StripeWebhookSignatureTests.Headers(StripeWebhookSigner.Header(body, DateTimeOffset.FromUnixTimeSeconds(1767225600), StripeHarness.WebhookSecret)), Created.AddSeconds(2));
    }

    private T Single<T>(string type, JsonObject obj, string apiVersion = "2025-03-31.basil")
        where T : ProviderEvent
    {
        var result = Parse(type, obj, apiVersion);
        Assert.True(result.IsSuccess, result.Error?.Code);
        Assert.Equal("evt_test_1", result.Value.EventId);
        return Assert.IsType<T>(Assert.Single(result.Value.Events));
    }
}
