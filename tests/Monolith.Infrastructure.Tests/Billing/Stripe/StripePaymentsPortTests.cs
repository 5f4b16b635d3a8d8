using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// The port on Stripe.net against a fake Stripe HTTP server on 127.0.0.1: requests, Stripe.net's retries, idempotency,
/// error kinds.
/// </summary>
public sealed class StripePaymentsPortTests
{
    private static readonly Uri Success = new("https://app.example.test/billing/success");
    private static readonly Uri Cancel = new("https://app.example.test/pricing");

    [Fact]
    public async Task Checkout_SendsTheFormHeadersAndKey()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var account = Guid.NewGuid();

        var result = await stripe.Port.CreateCheckoutSessionAsync(Checkout(account, trialDays: 7), "checkout-key-1", default);

        Assert.True(result.IsSuccess);
        Assert.Equal("cs_test_fake_1", result.Value.ProviderSessionId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)Assert.Single(stripe.Fake.CheckoutSessions())["expires_at"]!), result.Value.ExpiresAt);
        var request = Assert.Single(stripe.Fake.To("POST", "/v1/checkout/sessions"));
        Assert.Equal("Bearer " + StripeHarness.SecretKey, request.Header("Authorization"));
        Assert.Equal(global::Stripe.StripeConfiguration.ApiVersion, request.Header("Stripe-Version"));
        Assert.Equal("checkout-key-1", request.Header("Idempotency-Key"));
        Assert.Equal("subscription", request["mode"]);
        Assert.Equal("cus_1", request["customer"]);
        Assert.Equal(account.ToString(), request["client_reference_id"]);
        Assert.Equal(StripeHarness.StripeProMonthly, request["line_items[0][price]"]);
        Assert.Equal("2", request["line_items[0][quantity]"]);
        Assert.Equal("https://app.example.test/billing/success?session_id={CHECKOUT_SESSION_ID}", request["success_url"]);
        Assert.Equal(account.ToString(), request["metadata[billing_account_id]"]);
        Assert.Equal(account.ToString(), request["subscription_data[metadata][billing_account_id]"]);
        Assert.Equal("7", request["subscription_data[trial_period_days]"]);
        Assert.Equal("true", request["allow_promotion_codes"]);
        Assert.Equal("true", request["automatic_tax[enabled]"]);
    }

    [Fact]
    public async Task Customer_IsCreatedAndUpdatedWithNameEmailAndMetadata()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var (account, organization) = (Guid.NewGuid(), Guid.NewGuid());

        var created = await stripe.Port.CreateCustomerAsync(new CreateCustomerRequest(account, organization, "owner@acme.test", "Acme GmbH"), "customer-key", default);
        var updated = await stripe.Port.UpdateCustomerAsync(
            created.Value, new CreateCustomerRequest(account, organization, "billing@acme.test", "Acme AG"), "customer-sync-key", default);

        Assert.True(updated.IsSuccess);
        var create = Assert.Single(stripe.Fake.To("POST", "/v1/customers"));
        Assert.Equal(
            ("Acme GmbH", "owner@acme.test", account.ToString(), organization.ToString(), "customer-key"),
            (create["name"], create["email"], create["metadata[billing_account_id]"], create["metadata[organization_id]"], create.Header("Idempotency-Key")));
        var update = Assert.Single(stripe.Fake.To("POST", $"/v1/customers/{created.Value}"));
        Assert.Equal(
            ("Acme AG", "billing@acme.test", account.ToString(), organization.ToString(), "customer-sync-key"),
            (update["name"], update["email"], update["metadata[billing_account_id]"], update["metadata[organization_id]"], update.Header("Idempotency-Key")));
        var customer = Assert.Single(stripe.Fake.Customers());
        Assert.Equal(("Acme AG", "billing@acme.test"), (customer["name"]!.GetValue<string>(), customer["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UpdateCustomer_OfAnUnknownCustomer_IsObjectNotFound()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var updated = await stripe.Port.UpdateCustomerAsync("cus_missing", new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), "a@acme.test", "A"), "k", default);

        Assert.Equal("billing.provider.object_not_found", updated.Error?.Code);
    }

    [Theory]
    [InlineData("https://app.example.test/billing/success", "https://app.example.test/billing/success?session_id={CHECKOUT_SESSION_ID}")]
    [InlineData("https://app.example.test/s?from=pricing", "https://app.example.test/s?from=pricing&session_id={CHECKOUT_SESSION_ID}")]
    [InlineData("https://app.example.test/s?x=1#top", "https://app.example.test/s?x=1&session_id={CHECKOUT_SESSION_ID}#top")]
    [InlineData("https://app.example.test/s?session_id={CHECKOUT_SESSION_ID}", "https://app.example.test/s?session_id={CHECKOUT_SESSION_ID}")]
    public void SuccessUrl_GetsTheSessionPlaceholderOnce(string url, string expected) =>
        Assert.Equal(expected, StripePaymentsPort.SuccessUrl(new Uri(url)));

    [Fact]
    public async Task Checkout_LockTimeout429Then500ThenOk_RetriesWithTheSameKeyAndCreatesOneSession()
    {
        await using var stripe = await StripeHarness.StartAsync();
        // A 429 for lock contention carries Stripe-Should-Retry: true; Stripe.net retries it like a 500.
        stripe.Fake.FailNext(429, shouldRetry: "true", body: """{"error":{"type":"invalid_request_error","code":"lock_timeout"}}""");
        stripe.Fake.FailNext(500);

        var account = Guid.NewGuid();
        var first = await stripe.Port.CreateCheckoutSessionAsync(Checkout(account), "key-retry", default);
        var replay = await stripe.Port.CreateCheckoutSessionAsync(Checkout(account), "key-retry", default);

        Assert.True(first.IsSuccess);
        Assert.Equal(first.Value.ProviderSessionId, replay.Value.ProviderSessionId);
        var attempts = stripe.Fake.To("POST", "/v1/checkout/sessions");
        Assert.Equal(4, attempts.Length);
        Assert.All(attempts, a => Assert.Equal("key-retry", a.Header("Idempotency-Key")));
        Assert.Equal(1, stripe.Fake.SessionsCreated);
    }

    [Fact]
    public async Task Checkout_AttemptTimesOut_IsRetriedWithTheSameKey()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.HangNext();

        var result = await stripe.Port.CreateCheckoutSessionAsync(Checkout(Guid.NewGuid()), "key-timeout", default);

        Assert.True(result.IsSuccess);
        var attempts = stripe.Fake.To("POST", "/v1/checkout/sessions");
        Assert.Equal(2, attempts.Length);
        Assert.All(attempts, a => Assert.Equal("key-timeout", a.Header("Idempotency-Key")));
        Assert.Equal(1, stripe.Fake.SessionsCreated);
    }

    [Fact]
    public async Task Checkout_FailingOnEveryAttempt_IsProviderUnavailableAfterTheRetries()
    {
        await using var stripe = await StripeHarness.StartAsync();
        for (var i = 0; i <= StripeHarness.MaxRetries; i++)
        {
            stripe.Fake.FailNext(503);
        }

        var result = await stripe.Port.CreateCheckoutSessionAsync(Checkout(Guid.NewGuid()), "key-down", default);

        Assert.Equal(PaymentsErrors.ProviderUnavailable, result.Error);
        Assert.Equal(ErrorKind.Upstream, result.Error!.Kind);
        Assert.Equal(StripeHarness.MaxRetries + 1, stripe.Fake.To("POST", "/v1/checkout/sessions").Length);
        Assert.Equal(0, stripe.Fake.SessionsCreated);
    }

    [Fact]
    public async Task Checkout_RateLimited_IsNotRetriedAndIsProviderUnavailable()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.FailNext(429, retryAfter: "1", body: """{"error":{"type":"rate_limit_error","message":"Too many requests"}}""");

        var result = await stripe.Port.CreateCheckoutSessionAsync(Checkout(Guid.NewGuid()), "key-rate-limited", default);

        // Stripe.net leaves a plain 429 to the caller (retrying at once would only add load); the user's retry reuses the key.
        Assert.Equal(PaymentsErrors.ProviderUnavailable, result.Error);
        Assert.Single(stripe.Fake.To("POST", "/v1/checkout/sessions"));
        Assert.Equal(0, stripe.Fake.SessionsCreated);
    }

    [Fact]
    public async Task StripeShouldRetryFalse_IsNotRetried()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.FailNext(500, shouldRetry: "false");

        var result = await stripe.Port.CreateCustomerAsync(new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), null, null), "key-no-retry", default);

        Assert.Equal(PaymentsErrors.ProviderUnavailable, result.Error);
        Assert.Single(stripe.Fake.To("POST", "/v1/customers"));
    }

    [Fact]
    public async Task ConnectionRefused_IsProviderUnavailable()
    {
        await using var stripe = await StripeHarness.StartAsync(new Dictionary<string, string?> { ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:9" });

        var result = await stripe.Port.CreatePortalSessionAsync("cus_1", Success, default);

        Assert.Equal(PaymentsErrors.ProviderUnavailable, result.Error);
    }

    [Theory]
    [InlineData(402, """{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}}""", "billing.provider.card_declined", ErrorKind.Rule)]
    [InlineData(400, """{"error":{"type":"invalid_request_error","code":"parameter_invalid_integer","param":"amount","message":"Invalid integer: x"}}""", "billing.provider.invalid_request", ErrorKind.Upstream)]
    [InlineData(401, """{"error":{"type":"authentication_error","message":"Invalid API Key provided: sk_test_****"}}""", "billing.provider.not_configured", ErrorKind.NotConfigured)]
    [InlineData(403, """{"error":{"type":"permission_error","message":"The provided key does not have access"}}""", "billing.provider.not_configured", ErrorKind.NotConfigured)]
    [InlineData(404, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent"}}""", "billing.provider.object_not_found", ErrorKind.NotFound)]
    public async Task StripeErrors_BecomePortErrors(int status, string body, string code, ErrorKind kind)
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer("/v1/refunds", status, body);

        var result = await stripe.Port.RefundPaymentAsync(new RefundRequest("pi_1", 500, "EUR", "requested_by_customer"), "key-refund", default);

        Assert.Equal((code, kind), (result.Error!.Code, result.Error.Kind));
        Assert.Single(stripe.Fake.To("POST", "/v1/refunds"));
        if (status == 402)
        {
            Assert.Equal("Your card was declined.", result.Error.Message);
        }
    }

    [Fact]
    public async Task Logs_CarryStripesRequestIdButNeverTheKey()
    {
        var logs = new RecordingLoggerProvider();
        await using var stripe = await StripeHarness.StartAsync(logs: logs);
        stripe.Fake.FailNext(500);
        stripe.Fake.Answer("/v1/customers", 401, """{"error":{"type":"authentication_error"}}""");

        await stripe.Port.CreateCustomerAsync(new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), null, null), "key-log", default);

        Assert.Contains(logs.Lines, l => l.Contains("req_", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(StripeHarness.SecretKey, StringComparison.Ordinal) || l.Contains(StripeHarness.WebhookSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubscriptionOperations_SendTheRightRequests()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var port = stripe.Port;

        Assert.True((await port.CancelSubscriptionAsync(FakeStripe.SubscriptionId, atPeriodEnd: true, "k-cancel-end", default)).IsSuccess);
        Assert.True((await port.ResumeSubscriptionAsync(FakeStripe.SubscriptionId, "k-resume", default)).IsSuccess);
        Assert.True((await port.ChangeSubscriptionAsync(
            new ChangeSubscriptionRequest(FakeStripe.SubscriptionId, "price_fake_team", 3, ProrationMode.AlwaysInvoice), "k-change", default)).IsSuccess);
        Assert.True((await port.CancelSubscriptionAsync(FakeStripe.SubscriptionId, atPeriodEnd: false, "k-cancel-now", default)).IsSuccess);

        var posts = stripe.Fake.To("POST", "/v1/subscriptions/" + FakeStripe.SubscriptionId);
        Assert.Equal(["true", "false", null], posts.Select(p => p["cancel_at_period_end"]));
        Assert.Equal(["k-cancel-end", "k-resume", "k-change"], posts.Select(p => p.Header("Idempotency-Key")));
        var change = posts[2];
        Assert.Equal((FakeStripe.ItemId, "price_fake_team", "3", "always_invoice"),
            (change["items[0][id]"], change["items[0][price]"], change["items[0][quantity]"], change["proration_behavior"]));
        var delete = Assert.Single(stripe.Fake.To("DELETE", "/v1/subscriptions/" + FakeStripe.SubscriptionId));
        Assert.Equal("k-cancel-now", delete.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Fetch_Subscription_IsTheSameSnapshotAWebhookCarries()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var result = await stripe.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Subscription, FakeStripe.SubscriptionId), default);
        var missing = await stripe.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.CheckoutSession, "cs_missing"), default);

        var changed = Assert.IsType<SubscriptionChanged>(Assert.Single(result.Value));
        Assert.Equal((FakeStripe.SubscriptionId, "pro-monthly"), (changed.Snapshot.ProviderSubscriptionId, changed.Snapshot.PriceId));
        Assert.Equal(PaymentsErrors.NotFound, missing.Error);
    }

    [Fact]
    public async Task Fetch_CheckoutSessionAndPaymentIntent_NormalizeLikeTheirWebhooks()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var account = Guid.NewGuid();
        stripe.Fake.Answer("/v1/checkout/sessions/cs_done", 200,
            $$"""{"id":"cs_done","object":"checkout.session","status":"complete","mode":"subscription","customer":"cus_1","subscription":"sub_9","client_reference_id":"{{account}}"}""");
        stripe.Fake.Answer("/v1/checkout/sessions/cs_open", 200, """{"id":"cs_open","object":"checkout.session","status":"open","mode":"payment"}""");
        stripe.Fake.Answer("/v1/payment_intents/pi_ok", 200,
            """{"id":"pi_ok","object":"payment_intent","status":"succeeded","amount":9900,"amount_received":9900,"currency":"eur","latest_charge":"ch_ok"}""");

        var done = await stripe.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.CheckoutSession, "cs_done"), default);
        var open = await stripe.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.CheckoutSession, "cs_open"), default);
        var paid = await stripe.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Payment, "pi_ok"), default);

        var completed = Assert.IsType<CheckoutCompleted>(Assert.Single(done.Value));
        Assert.Equal(("cs_done", (Guid?)account, "sub_9"), (completed.ProviderSessionId, completed.ClientReferenceAccountId, completed.ProviderResultId));
        Assert.Empty(open.Value);
        var succeeded = Assert.IsType<PaymentSucceeded>(Assert.Single(paid.Value));
        Assert.Equal(("pi_ok", "ch_ok", 9900L, "EUR"), (succeeded.Payment.ProviderPaymentId, succeeded.ProviderChargeId, succeeded.CapturedMinor, succeeded.Payment.Currency));
    }

    [Fact]
    public async Task RefundAndUsage_SendTheRightRequests()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var refund = await stripe.Port.RefundPaymentAsync(new RefundRequest("pi_1", 500, "EUR", "customer asked nicely"), "k-refund", default);
        var usage = await stripe.Port.ReportUsageAsync(new UsageReport("cus_1", "api-calls", 42, DateTimeOffset.FromUnixTimeSeconds(1767225600)), "k-usage", default);

        Assert.Equal(new ProviderRefund("re_fake_1", 500, "EUR", "succeeded"), refund.Value);
        var r = Assert.Single(stripe.Fake.To("POST", "/v1/refunds"));
        Assert.Equal(("pi_1", "500", null, "customer asked nicely"), (r["payment_intent"], r["amount"], r["reason"], r["metadata[reason]"]));
        Assert.True(usage.IsSuccess);
        var m = Assert.Single(stripe.Fake.To("POST", "/v1/billing/meter_events"));
        Assert.Equal(("api-calls", "cus_1", "42", "k-usage", "1767225600"),
            (m["event_name"], m["payload[stripe_customer_id]"], m["payload[value]"], m["identifier"], m["timestamp"]));
    }

    private static CreateCheckoutRequest Checkout(Guid account, int? trialDays = null) =>
        new(account, "cus_1", CheckoutMode.Subscription, StripeHarness.StripeProMonthly, 2, trialDays, Success, Cancel, AllowPromotionCodes: true, AutomaticTax: true);
}
