using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Webhooks;
using Monolith.TestSupport.Stripe;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary>
/// The checkout/webhook journeys with <c>Payments:Provider=Stripe</c>: the app's JSON API drives the Stripe adapter
/// against the fake Stripe, and the events Stripe would send are delivered signed to <c>/webhooks/stripe</c>; every
/// expectation is read back through the API.
/// </summary>
public sealed class StripeJourneyTests(StripeWebApp app) : IClassFixture<StripeWebApp>
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task Subscribe_CheckoutThenWebhooks_SendsTheRightRequestsAndGrantsAccessOnlyFromTheEvents()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        Assert.False(await StripeWebApp.IsAllowedAsync(client, "reports"));

        var checkout = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "journey-key-1");

        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var accountId = await app.BillingAccountIdAsync(organizationId);
        var customer = Assert.Single(Stripe.To("POST", "/v1/customers"), r => r["metadata[organization_id]"] == organizationId.ToString());
        Assert.Equal(accountId.ToString(), customer["metadata[billing_account_id]"]);
        Assert.Equal($"customer-{accountId:N}", customer.Header("Idempotency-Key"));
        Assert.Equal("Bearer " + StripeWebApp.SecretKey, customer.Header("Authorization"));
        var customerId = Assert.Single(app.CustomersOf(organizationId));
        var session = Assert.Single(Stripe.To("POST", "/v1/checkout/sessions"), r => r["customer"] == customerId);
        Assert.Equal(
            ("subscription", accountId.ToString(), FakeStripe.ProMonthly, "1", accountId.ToString(), accountId.ToString()),
            (session["mode"], session["client_reference_id"], session["line_items[0][price]"], session["line_items[0][quantity]"],
                session["metadata[billing_account_id]"], session["subscription_data[metadata][billing_account_id]"]));
        Assert.EndsWith("/billing/success?session_id={CHECKOUT_SESSION_ID}", session["success_url"], StringComparison.Ordinal);
        Assert.StartsWith($"checkout-{accountId:N}-pro-monthly-0-journey-key-1", session.Header("Idempotency-Key"), StringComparison.Ordinal);
        var body = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = StripeWebApp.ProviderSessionId(body);
        Assert.Equal($"https://checkout.stripe.test/c/pay/{sessionId}", body.GetProperty("url").GetString());
        Assert.False(await StripeWebApp.IsAllowedAsync(client, "reports")); // nothing is granted at checkout

        Stripe.CompleteCheckout(sessionId);
        var events = Stripe.TakeEvents();
        Assert.Equal(["checkout.session.completed", "customer.subscription.created", "invoice.paid"], events.Select(e => e.Type));
        var answers = await app.DeliverAsync(events);

        Assert.All(answers, a => Assert.False(a.GetProperty("duplicate").GetBoolean()));
        var subscription = await StripeWebApp.OnlySubscriptionAsync(client);
        Assert.Equal(("active", "pro", "pro-monthly", 1), (subscription.GetProperty("status").GetString(), subscription.GetProperty("planId").GetString(),
            subscription.GetProperty("priceId").GetString(), subscription.GetProperty("quantity").GetInt32()));
        await Poll.WaitForAsync("reports to be allowed", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? true : (bool?)null);
        Assert.False(await StripeWebApp.IsAllowedAsync(client, "sso"));
    }

    [Fact]
    public async Task PaymentFailure_PastDueKeepsTheGraceThenUnpaidRevokesAndPayingRestores()
    {
        var client = await app.RegisterAsync();
        var providerId = await ProviderSubscriptionIdAsync(await app.SubscribeAsync(client, "pro-monthly", "pro"));

        Stripe.FailRenewal(providerId);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("past_due", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        Assert.True(await StripeWebApp.IsAllowedAsync(client, "reports")); // Billing:AccessPolicy:PastDueGracePeriod (7 days)

        Stripe.MarkUnpaid(providerId);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("unpaid", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        await Poll.WaitForAsync("reports to be denied", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? null : (bool?)true);

        Stripe.PayOpenInvoice(providerId);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("active", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        await Poll.WaitForAsync("reports to be allowed again", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? true : (bool?)null);
    }

    [Fact]
    public async Task PauseCollection_StatusStaysActiveAtStripe_IsMirroredAsPausedWithoutPaidAccessUntilResumed()
    {
        var client = await app.RegisterAsync();
        var providerId = await ProviderSubscriptionIdAsync(await app.SubscribeAsync(client, "pro-monthly", "pro"));
        await Poll.WaitForAsync("reports to be allowed", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? true : (bool?)null);

        Stripe.PauseCollection(providerId, paused: true);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("active", Stripe.SubscriptionObject(providerId)["status"]!.GetValue<string>());
        Assert.Equal("paused", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        await Poll.WaitForAsync("reports to be denied", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? null : (bool?)true);

        Stripe.PauseCollection(providerId, paused: false);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("active", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        await Poll.WaitForAsync("reports to be allowed again", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? true : (bool?)null);
    }

    [Fact]
    public async Task CancelAtPeriodEnd_Resume_CancelNow_GoThroughStripeAndItsEvents()
    {
        var client = await app.RegisterAsync();
        var subscriptionId = await app.SubscribeAsync(client, "pro-monthly", "pro");
        var providerId = await ProviderSubscriptionIdAsync(subscriptionId);

        var cancel = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/cancel", new { atPeriodEnd = true });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.True(Stripe.SubscriptionObject(providerId)["cancel_at_period_end"]!.GetValue<bool>());
        await app.DeliverAsync(Stripe.TakeEvents());
        Assert.True((await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.True(await StripeWebApp.IsAllowedAsync(client, "reports")); // access until the period ends

        var resume = await client.PostAsync($"/api/billing/subscriptions/{subscriptionId}/resume", null);

        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await app.DeliverAsync(Stripe.TakeEvents());
        Assert.False((await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("cancelAtPeriodEnd").GetBoolean());
        var posts = Stripe.To("POST", "/v1/subscriptions/" + providerId);
        Assert.Equal(["true", "false"], posts.Select(p => p["cancel_at_period_end"]));
        Assert.All(posts, p => Assert.False(string.IsNullOrEmpty(p.Header("Idempotency-Key"))));

        using var now = new HttpRequestMessage(HttpMethod.Post, $"/api/billing/subscriptions/{subscriptionId}/cancel") { Content = JsonContent.Create(new { atPeriodEnd = false }) };
        now.Headers.Add("Idempotency-Key", "cancel-now-1");
        var canceled = await client.SendAsync(now);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal("cancel_now", (await canceled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("change").GetString());
        var delete = Assert.Single(Stripe.To("DELETE", "/v1/subscriptions/" + providerId));
        Assert.Equal($"cancel-{subscriptionId:N}-now-cancel-now-1", delete.Header("Idempotency-Key"));
        await app.DeliverAsync(Stripe.TakeEvents());
        Assert.Equal("canceled", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        await Poll.WaitForAsync("reports to be denied", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? null : (bool?)true);
    }

    [Fact]
    public async Task ChangePlan_UpgradeNow_SwapsThePriceWithAnInvoiceAndGrantsSso()
    {
        var client = await app.RegisterAsync();
        var subscriptionId = await app.SubscribeAsync(client, "pro-monthly", "pro");
        var providerId = await ProviderSubscriptionIdAsync(subscriptionId);

        var response = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/change", new { priceId = "team-monthly", quantity = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upgrade_now", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("change").GetString());
        var change = Assert.Single(Stripe.To("POST", "/v1/subscriptions/" + providerId));
        Assert.Equal((FakeStripe.TeamMonthly, "3", "always_invoice"), (change["items[0][price]"], change["items[0][quantity]"], change["proration_behavior"]));
        await app.DeliverAsync(Stripe.TakeEvents());
        var team = await StripeWebApp.OnlySubscriptionAsync(client);
        Assert.Equal(("team", "team-monthly", 3), (team.GetProperty("planId").GetString(), team.GetProperty("priceId").GetString(), team.GetProperty("quantity").GetInt32()));
        await Poll.WaitForAsync("sso to be allowed", async () => await StripeWebApp.IsAllowedAsync(client, "sso") ? true : (bool?)null);
    }

    [Fact]
    public async Task ChangePlan_DowngradeWaitsForThePeriodEndThroughASchedule()
    {
        var client = await app.RegisterAsync();
        var subscriptionId = await app.SubscribeAsync(client, "team-monthly", "team");
        var providerId = await ProviderSubscriptionIdAsync(subscriptionId);

        var response = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/change", new { priceId = "pro-monthly", quantity = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("downgrade_at_period_end", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("change").GetString());
        Assert.Empty(Stripe.To("POST", "/v1/subscriptions/" + providerId));
        var scheduleId = Stripe.SubscriptionObject(providerId)["schedule"]!.GetValue<string>();
        Assert.Equal(FakeStripe.ProMonthly, Stripe.Schedule(scheduleId)!["phases"]![1]!["items"]![0]!["price"]!.GetValue<string>());
        await app.DeliverAsync(Stripe.TakeEvents());
        Assert.Equal("team", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("planId").GetString());
        Assert.True(await StripeWebApp.IsAllowedAsync(client, "sso")); // paid for until the period ends

        Stripe.EndPeriod(providerId);
        await app.DeliverAsync(Stripe.TakeEvents());

        Assert.Equal("pro", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("planId").GetString());
        await Poll.WaitForAsync("sso to be denied", async () => await StripeWebApp.IsAllowedAsync(client, "sso") ? null : (bool?)true);
        Assert.True(await StripeWebApp.IsAllowedAsync(client, "reports"));
    }

    [Fact]
    public async Task IssueRefund_FromTheOpsPage_GoesToStripeOnceWithItsKeyAndItsEventRevokesTheEntitlement()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        var checkout = await StripeWebApp.CheckoutAsync(client, "lifetime-report");
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var sessionId = StripeWebApp.ProviderSessionId(await checkout.Content.ReadFromJsonAsync<JsonElement>());
        var session = Assert.Single(Stripe.To("POST", "/v1/checkout/sessions"), r => r["customer"] == app.CustomersOf(organizationId).Single());
        Assert.Equal("payment", session["mode"]);
        var paymentIntent = Stripe.CompleteCheckout(sessionId);
        await app.DeliverAsync(Stripe.TakeEvents());
        await Poll.WaitForAsync("lifetime-report to be allowed", async () => await StripeWebApp.IsAllowedAsync(client, "lifetime-report") ? true : (bool?)null);
        var paymentId = await app.QueryAsync(db => db.Payments.AsNoTracking()
            .Where(p => p.Kind == PaymentKind.OneTime && db.BillingAccounts.Any(a => a.Id == p.BillingAccountId && a.OrganizationId == organizationId))
            .Select(p => p.Id).SingleAsync());

        var byOwner = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { });
        Assert.Equal(HttpStatusCode.Forbidden, byOwner.StatusCode);
        Assert.Equal("billing.refund.owner_not_allowed", (await byOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.DoesNotContain(Stripe.To("POST", "/v1/refunds"), r => r["payment_intent"] == paymentIntent);

        var ops = await app.OpsAsync();
        var form = await OpsRefundForm.RenderAsync(ops, organizationId, paymentId);
        Assert.NotNull(form);
        var page = await OpsRefundForm.SubmitAsync(ops, organizationId, form, amountMinor: null, reason: "requested_by_customer");
        await OpsRefundForm.SubmitAsync(ops, organizationId, form, amountMinor: null, reason: "requested_by_customer"); // double submit

        Assert.Contains("99.00 requested", page, StringComparison.Ordinal);
        var sent = Assert.Single(Stripe.To("POST", "/v1/refunds"), r => r["payment_intent"] == paymentIntent);
        Assert.Equal(("9900", "requested_by_customer"), (sent["amount"], sent["reason"]));
        Assert.StartsWith($"refund-{paymentId:N}-9900-k", sent.Header("Idempotency-Key"), StringComparison.Ordinal);
        var events = Stripe.TakeEvents();
        Assert.Equal(["refund.created"], events.Select(e => e.Type));
        await app.DeliverAsync(events);
        await Poll.WaitForAsync("lifetime-report to be revoked", async () => await StripeWebApp.IsAllowedAsync(client, "lifetime-report") ? null : (bool?)true);
        Assert.Null(await OpsRefundForm.RenderAsync(ops, organizationId, paymentId));
        var audit = Assert.Single(await app.QueryAsync(db => db.OpsAudit.AsNoTracking().Where(a => a.TargetId == paymentId.ToString()).ToListAsync()));
        Assert.Equal(Monolith.Application.Ops.Audit.OpsActions.PaymentRefund, audit.Action);
    }

    [Fact]
    public async Task Portal_ForASubscriber_IsAStripePortalSessionForItsCustomer()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        await app.SubscribeAsync(client, "pro-monthly", "pro");

        var response = await client.PostAsJsonAsync("/api/billing/portal", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://billing.stripe.test/p/session/", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString(), StringComparison.Ordinal);
        var customerId = app.CustomersOf(organizationId).Single();
        var portal = Assert.Single(Stripe.To("POST", "/v1/billing_portal/sessions"), r => r["customer"] == customerId);
        Assert.EndsWith("/billing", portal["return_url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhooks_DeliveredTwiceAndInReverseOrder_ConvergeToTheInOrderState()
    {
        var client = await app.RegisterAsync();
        var checkout = await StripeWebApp.CheckoutAsync(client, "pro-monthly");
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var providerId = Stripe.CompleteCheckout(StripeWebApp.ProviderSessionId(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        Stripe.FailRenewal(providerId);
        Stripe.PayOpenInvoice(providerId);
        var events = Stripe.TakeEvents();
        Assert.Equal(7, events.Count);

        var answers = await app.DeliverAsync(events.Reverse().SelectMany(e => new[] { e, e }));

        Assert.Equal(events.Count, answers.Count(a => a.GetProperty("duplicate").GetBoolean()));
        var subscription = await StripeWebApp.OnlySubscriptionAsync(client);
        Assert.Equal(("active", "pro", false), (subscription.GetProperty("status").GetString(), subscription.GetProperty("planId").GetString(),
            subscription.GetProperty("cancelAtPeriodEnd").GetBoolean()));
        await Poll.WaitForAsync("reports to be allowed", async () => await StripeWebApp.IsAllowedAsync(client, "reports") ? true : (bool?)null);
    }

    /// <summary>
    /// The fake's events are of 2025-03-31.basil, older than the SDK's 2026-10-28.endive, and every journey here
    /// applies them. An event from before basil is received (200) and then parked with the reason on its inbox row.
    /// </summary>
    [Fact]
    public async Task EventOlderThanBasil_IsParkedWithTheReasonOnItsInboxRow()
    {
        var id = $"evt_legacy_{Guid.NewGuid():N}";
        var legacy = StripeFixtures.ToLegacySubscription(StripeFixtures.Subscription("sub_legacy", FakeStripe.ProMonthly));
        var body = StripeEvents.Envelope("customer.subscription.updated", legacy, id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "2024-06-20");

        var answer = Assert.Single(await app.DeliverAsync([new FakeStripeEvent(id, "customer.subscription.updated", 0, body)]));

        Assert.Equal("received", answer.GetProperty("status").GetString());
        var row = await app.QueryAsync(db => db.WebhookEvents.AsNoTracking().SingleAsync(e => e.ProviderEventId == id));
        Assert.Equal(WebhookEventStatus.Parked, row.Status);
        Assert.Contains("2024-06-20 predates 2025-03-31.basil", row.Error, StringComparison.Ordinal);
        Assert.Empty(await app.QueryAsync(db => db.PendingProviderEvents.AsNoTracking().Where(p => p.ProviderEventId == id).ToListAsync()));
    }

    private Task<string> ProviderSubscriptionIdAsync(Guid subscriptionId) =>
        app.QueryAsync(db => db.Subscriptions.AsNoTracking().Where(s => s.Id == subscriptionId).Select(s => s.ProviderSubscriptionId).SingleAsync());
}
