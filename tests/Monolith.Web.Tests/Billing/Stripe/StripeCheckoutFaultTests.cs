using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monolith.TestSupport.Stripe;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary>
/// Stripe misbehaving while a user checks out (500, 429, no answer within the per-attempt timeout):
/// the user gets a success or a clear 502 ProblemDetails, and whatever the user retries, Stripe ends up with one
/// customer and one checkout session for one logical attempt — every attempt, and the user's retry, carry the same keys.
/// </summary>
public sealed class StripeCheckoutFaultTests(StripeWebApp app) : IClassFixture<StripeWebApp>
{
    private const string Sessions = "/v1/checkout/sessions";
    private const string Customers = "/v1/customers";

    [Fact]
    public async Task Checkout_StripeFailsEveryAttempt_Is502ThenTheUsersRetryMakesOneCustomerAndOneSession()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        for (var i = 0; i < StripeWebApp.Attempts; i++)
        {
            app.Stripe.FailNext(500, path: Sessions);
        }

        var failed = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-1");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var problem = await failed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("billing.provider.unavailable", problem.GetProperty("code").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _));

        var retried = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-1");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: StripeWebApp.Attempts + 1);
        var session = Assert.Single(SessionsOf(organizationId));
        Assert.Equal(session["id"]!.GetValue<string>(), StripeWebApp.ProviderSessionId(await retried.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Checkout_LockTimeout429MarkedRetryable_SucceedsWithOneSession()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        app.Stripe.FailNext(429, shouldRetry: "true", body: """{"error":{"type":"invalid_request_error","code":"lock_timeout"}}""", path: Sessions);

        var response = await StripeWebApp.CheckoutAsync(client, "pro-monthly");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: 2);
    }

    [Fact]
    public async Task Checkout_RateLimited_Is502ThenTheUsersRetryMakesOneSession()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        app.Stripe.FailNext(429, retryAfter: "1", body: """{"error":{"type":"rate_limit_error","message":"Too many requests"}}""", path: Sessions);

        // Stripe.net does not retry a plain rate limit: the user sees 502 at once and retries with the same key.
        var failed = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-rate");
        var retried = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-rate");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("billing.provider.unavailable", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: 2);
    }

    [Fact]
    public async Task Checkout_RetryableLockTimeoutOnEveryAttempt_Is502()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        for (var i = 0; i < StripeWebApp.Attempts; i++)
        {
            app.Stripe.FailNext(429, shouldRetry: "true", body: """{"error":{"type":"invalid_request_error","code":"lock_timeout"}}""", path: Sessions);
        }

        var response = await StripeWebApp.CheckoutAsync(client, "pro-monthly");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("billing.provider.unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Empty(SessionsOf(organizationId));
    }

    [Fact]
    public async Task Checkout_AnAttemptHangsPastTheTimeout_IsRetriedAndMakesOneCustomerAndOneSession()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        app.Stripe.HangNext(path: Customers);
        app.Stripe.HangNext(path: Sessions);

        var response = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-hang");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: 2);
        Assert.Equal(2, CustomerRequestsOf(organizationId).Length);
    }

    [Fact]
    public async Task Checkout_HangsOnEveryAttempt_Is502ThenTheUsersRetryMakesOneSession()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        for (var i = 0; i < StripeWebApp.Attempts; i++)
        {
            app.Stripe.HangNext(path: Sessions);
        }

        var failed = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-2");
        var retried = await StripeWebApp.CheckoutAsync(client, "pro-monthly", "user-key-2");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("billing.provider.unavailable", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: StripeWebApp.Attempts + 1);
    }

    [Fact]
    public async Task Checkout_AfterASuccess_AnotherClickReusesTheOpenSessionWithoutCallingStripe()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        var first = await StripeWebApp.CheckoutAsync(client, "pro-monthly");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var again = await StripeWebApp.CheckoutAsync(client, "pro-monthly");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(second.GetProperty("reused").GetBoolean());
        Assert.Equal(StripeWebApp.ProviderSessionId(await first.Content.ReadFromJsonAsync<JsonElement>()), StripeWebApp.ProviderSessionId(second));
        AssertOneCustomerAndOneSession(organizationId, expectedSessionAttempts: 1);
    }

    private void AssertOneCustomerAndOneSession(Guid organizationId, int expectedSessionAttempts)
    {
        var customers = app.CustomersOf(organizationId);
        Assert.Single(customers);
        Assert.Single(SessionsOf(organizationId));
        Assert.Single(CustomerRequestsOf(organizationId).Select(r => r.Header("Idempotency-Key")).Distinct());
        var attempts = app.Stripe.To("POST", Sessions).Where(r => customers.Contains(r["customer"])).ToArray();
        Assert.Equal(expectedSessionAttempts, attempts.Length);
        var key = Assert.Single(attempts.Select(r => r.Header("Idempotency-Key")).Distinct());
        Assert.StartsWith("checkout-", key, StringComparison.Ordinal);
    }

    private System.Text.Json.Nodes.JsonObject[] SessionsOf(Guid organizationId)
    {
        var customers = app.CustomersOf(organizationId);
        return app.Stripe.CheckoutSessions().Where(s => customers.Contains(s["customer"]?.GetValue<string>())).ToArray();
    }

    private FakeStripeRequest[] CustomerRequestsOf(Guid organizationId) =>
        app.Stripe.To("POST", Customers).Where(r => r["metadata[organization_id]"] == organizationId.ToString()).ToArray();
}
