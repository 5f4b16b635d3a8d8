using System.Text.Json.Nodes;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// Contract: events built from Stripe's official fixtures (2026-08-21) are parsed by Stripe.net into its typed objects
/// and normalize to the facts we expect — for the SDK's own API version (2026-10-28.endive) and for an older one
/// (2025-03-31.basil, the same shapes for every field read); events older than basil are refused, to be parked.
/// </summary>
public sealed class StripeEventNormalizerTests : IAsyncLifetime
{
    private static readonly Guid Account = Guid.Parse("6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f");
    private const string Basil = "2025-03-31.basil";
    private const string Endive = "2026-10-28.endive";
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1767225600);
    private StripeHarness _stripe = null!;

    public async Task InitializeAsync() => _stripe = await StripeHarness.StartAsync();

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Theory]
    [InlineData("customer.subscription.created")]
    [InlineData("customer.subscription.updated")]
    [InlineData("customer.subscription.paused")]
    [InlineData("customer.subscription.resumed")]
    public void Subscription_BasilAndEndive_GiveTheSameSnapshot(string type)
    {
        var subscription = StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly, Account);

        var current = Single<SubscriptionChanged>(type, subscription, Endive);

        Assert.Equal(current, Single<SubscriptionChanged>(type, subscription, Basil));
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
    public void InvoicePaid_BasilAndEndive_GiveTheSameFacts(string type)
    {
        var (invoice, _) = Invoices();

        var current = Single<InvoicePaid>(type, invoice, Endive);

        Assert.Equal(current, Single<InvoicePaid>(type, invoice, Basil));
        Assert.Equal("sub_1", current.Invoice.ProviderSubscriptionId);
        Assert.Equal(Account, current.MetadataAccountId);
        Assert.Equal(("in_1Pgc6tB7WZ01zgkWu9fdqL6I", 1000L, "USD"), (current.Invoice.ProviderInvoiceId, current.Invoice.AmountDueMinor, current.Invoice.Currency));
        Assert.Equal(1000, current.AmountPaidMinor);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1721954054), current.Invoice.PeriodStart);
    }

    [Fact]
    public void InvoicePaymentFailed_BasilAndEndive_GiveTheSameFacts()
    {
        var (invoice, _) = Invoices();

        var current = Single<InvoicePaymentFailed>("invoice.payment_failed", invoice, Endive);

        Assert.Equal(current, Single<InvoicePaymentFailed>("invoice.payment_failed", invoice, Basil));
        Assert.Equal(2, current.Invoice.AttemptCount);
    }

    /// <summary>Before basil, periods sat on the subscription and an invoice's subscription at its top: such events are refused with the reason.</summary>
    [Fact]
    public void EventsOlderThanBasil_AreRefusedAsAnUnsupportedVersion()
    {
        var (_, legacyInvoice) = Invoices();
        var legacySubscription = StripeFixtures.ToLegacySubscription(StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly, Account));

        var subscription = Parse("customer.subscription.updated", legacySubscription, "2024-06-20");
        var invoice = Parse("invoice.paid", legacyInvoice, "2024-09-30.acacia");

        foreach (var refused in new[] { subscription, invoice })
        {
            Assert.Equal(PaymentsErrors.ApiVersionUnsupportedCode, refused.Error!.Code);
            Assert.Contains("predates 2025-03-31.basil", refused.Error.Message, StringComparison.Ordinal);
            Assert.Contains("2026-10-28.endive", refused.Error.Message, StringComparison.Ordinal);
        }

        // An event type nothing reads is ignored whatever its version.
        Assert.Empty(Parse("customer.created", StripeFiles.Fixture("customer"), "2024-06-20").Value.Events!);
    }

    [Theory]
    [InlineData("2025-03-31.basil", true)]
    [InlineData("2025-09-30.clover", true)]
    [InlineData("2026-07-29.dahlia", true)]
    [InlineData("2026-10-28.endive", true)]
    [InlineData("2026-12-16.endive", true)]
    [InlineData("2025-02-24.acacia", false)]
    [InlineData("2024-06-20", false)]
    [InlineData("2027-03-31.fig", false)]
    [InlineData("", false)]
    [InlineData("latest", false)]
    public void ApiVersions_ReadOrRefused(string version, bool read) =>
        Assert.Equal(read, StripeEventNormalizer.VersionProblem(version) is null);

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
        Assert.Empty(Parse("checkout.session.async_payment_failed", c).Value.Events!);
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
    [InlineData(Basil)]
    [InlineData(Endive)]
    public void CustomerUpdated_CarriesTheCustomersEmailAndAccount(string apiVersion)
    {
        var c = StripeFiles.Fixture("customer");
        c["id"] = "cus_1";
        c["email"] = "finance@acme.test";
        c["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString(), ["organization_id"] = Guid.NewGuid().ToString() };

        var updated = Single<CustomerUpdated>("customer.updated", c, apiVersion);
        c["email"] = null;
        var withoutEmail = Single<CustomerUpdated>("customer.updated", c, apiVersion);

        Assert.Equal(("cus_1", (Guid?)Account, "finance@acme.test", Created), (updated.CustomerId, updated.MetadataAccountId, updated.Email, updated.OccurredAt));
        Assert.Null(withoutEmail.Email);
        Assert.Null(Receive(StripeFiles.Event("customer.updated", c)).Value.Events); // read when applied, like every type we read
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
        Assert.Empty(result.Value.Events!);
        Assert.Empty(Receive(StripeFiles.Event(type, StripeFiles.Fixture(fixture))).Value.Events!);
    }

    /// <summary>Receiving verifies and reads the envelope only: the events of a type we read are left to the apply step.</summary>
    [Fact]
    public void Receive_ReadsTheEnvelopeOnly()
    {
        var body = StripeFiles.Event("invoice.paid", new JsonObject { ["object"] = "invoice", ["id"] = "in_1", ["lines"] = "not a list" });

        var received = Receive(body);

        Assert.True(received.IsSuccess, received.Error?.Code);
        Assert.Equal(("evt_test_1", "invoice.paid", Created), (received.Value.EventId, received.Value.EventType, received.Value.CreatedAt));
        Assert.Null(received.Value.Events);
        Assert.Equal(PaymentsErrors.PayloadInvalid, Normalizer().Normalize(System.Text.Encoding.UTF8.GetString(body)).Error);
    }

    [Fact]
    public void Envelope_WithoutDataObject_IsPayloadInvalid()
    {
        var body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1}"u8.ToArray();

        var result = _stripe.Port.ParseWebhook(body, StripeWebhookSignatureTests.Headers(StripeWebhookSigner.Header(body, DateTimeOffset.FromUnixTimeSeconds(1), StripeHarness.WebhookSecret)), DateTimeOffset.FromUnixTimeSeconds(1));

        Assert.Equal(PaymentsErrors.PayloadInvalid, result.Error);
        Assert.Equal(PaymentsErrors.PayloadInvalid, Normalizer().Normalize(System.Text.Encoding.UTF8.GetString(body)).Error);
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
        var legacy = basil.DeepClone().AsObject(); // the shape before 2025-03-31.basil
        legacy.Remove("parent");
        legacy["subscription"] = "sub_1";
        legacy["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject { ["billing_account_id"] = Account.ToString() } };
        legacy["charge"] = "ch_1";
        legacy["paid"] = true;
        return (basil, legacy);
    }

    /// <summary>The apply step: the stored payload parsed by Stripe.net and normalized.</summary>
    private Monolith.Domain.Common.Result<ParsedWebhook> Parse(string type, JsonObject obj, string apiVersion = Endive) =>
        Normalizer().Normalize(System.Text.Encoding.UTF8.GetString(StripeFiles.Event(type, obj, apiVersion: apiVersion)));

    /// <summary>The receive step, through the port: signature, then the envelope.</summary>
    private Monolith.Domain.Common.Result<ParsedWebhook> Receive(byte[] body) =>
        _stripe.Port.ParseWebhook(body, StripeWebhookSignatureTests.Headers(StripeWebhookSigner.Header(body, DateTimeOffset.FromUnixTimeSeconds(1767225600), StripeHarness.WebhookSecret)), Created.AddSeconds(2));

    private StripeEventNormalizer Normalizer() => new(_stripe.Services.GetRequiredService<PlanCatalog>());

    private T Single<T>(string type, JsonObject obj, string apiVersion = Endive)
        where T : ProviderEvent
    {
        var result = Parse(type, obj, apiVersion);
        Assert.True(result.IsSuccess, result.Error?.Code);
        Assert.Equal("evt_test_1", result.Value.EventId);
        return Assert.IsType<T>(Assert.Single(result.Value.Events!));
    }
}
