using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Simulator;

/// <summary>The simulator's hosted pages over HTTP, on the real app (InMemory is the default provider).</summary>
public sealed class SimulatorPagesTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Fact]
    public async Task CheckoutPage_ShowsPriceAndTestCards()
    {
        var (sessionId, _) = await CreateSessionAsync();
        using var client = host.CreateClient();

        var page = await client.GetStringAsync($"/_simulator/checkout/{sessionId}");

        Assert.Contains("19.00 EUR", page, StringComparison.Ordinal);
        Assert.Contains("4000 0025 0000 3155", page, StringComparison.Ordinal);
        Assert.Contains("https://app.example.test/billing/canceled", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutPage_DeclinedThenGoodCard_ShowsErrorThenRedirectsToSuccess()
    {
        var (sessionId, customerId) = await CreateSessionAsync();
        using var client = host.CreateClient();
        var path = $"/_simulator/checkout/{sessionId}?handler=Pay";

        var declined = await HttpForms.SubmitAsync(client, path, new() { ["CardNumber"] = "4000 0000 0000 0002" });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Contains("alert error", await declined.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Factory.Services.GetRequiredService<SimulatorState>().FindCustomer(customerId)!.Subscriptions);

        var paid = await HttpForms.SubmitAsync(client, path, new() { ["CardNumber"] = "4242 4242 4242 4242" });
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal($"https://app.example.test/billing/success?session_id={sessionId}", paid.Headers.Location!.ToString());
        Assert.Single(host.Factory.Services.GetRequiredService<SimulatorState>().FindCustomer(customerId)!.Subscriptions);
    }

    [Fact]
    public async Task CheckoutPage_3155_ShowsTheAuthenticationStep()
    {
        var (sessionId, _) = await CreateSessionAsync();
        using var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, $"/_simulator/checkout/{sessionId}?handler=Pay", new() { ["CardNumber"] = "4000002500003155" });

        Assert.Contains("Complete authentication", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var confirmed = await HttpForms.SubmitAsync(client, $"/_simulator/checkout/{sessionId}?handler=Authenticate", new() { ["approve"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
    }

    [Fact]
    public async Task CheckoutPage_PostWithoutAntiforgeryToken_IsRejected()
    {
        var (sessionId, _) = await CreateSessionAsync();
        using var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, $"/_simulator/checkout/{sessionId}?handler=Pay",
            new() { ["CardNumber"] = "4242424242424242" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CheckoutPage_UnknownSession_Is404()
    {
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_simulator/checkout/cs_nope")).StatusCode);
    }

    [Fact]
    public async Task ClockPage_AdvanceOneDay_MovesSimulatedTime()
    {
        var clock = host.Factory.Services.GetRequiredService<SimulatorClock>();
        using var client = host.CreateClient();
        var before = clock.Now;

        var response = await HttpForms.SubmitAsync(client, "/_simulator/clock?handler=Advance", new() { ["step"] = "1d" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(clock.Now - before >= TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task PortalPage_CancelAtPeriodEnd_ThenReturns()
    {
        var (sessionId, customerId) = await CreateSessionAsync();
        var state = host.Factory.Services.GetRequiredService<SimulatorState>();
        state.SubmitCard(sessionId, "4242424242424242");
        var port = host.Factory.Services.GetRequiredService<IPaymentsPort>();
        var portal = await port.CreatePortalSessionAsync(customerId, new Uri("http://localhost/billing"), default);
        var subscriptionId = state.FindCustomer(customerId)!.Subscriptions.Single().Id;
        using var client = host.CreateClient();

        var page = await client.GetStringAsync(portal.Value.PathAndQuery);
        var response = await HttpForms.SubmitAsync(client, portal.Value.PathAndQuery + "?handler=Cancel",
            new() { ["subscriptionId"] = subscriptionId, ["cancel"] = "true" });

        Assert.Contains("http://localhost/billing", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(state.FindCustomer(customerId)!.Subscriptions.Single().CancelAtPeriodEnd);
    }

    [Fact]
    public async Task SimulatorPages_WhenStripeIsSelected_Are404AndTheStripePortServes()
    {
        await using var stripe = host.Factory.WithWebHostBuilder(b => b
            .UseSetting("Payments:Provider", "Stripe")
            .UseSetting("Payments:Stripe:SecretKey", "sk_test_not_used")
            .UseSetting("Payments:Stripe:WebhookSecrets:0", "whsec_test_not_used")
            .UseSetting("Payments:Stripe:ApiBase", "http://127.0.0.1:9")
            .UseSetting("Payments:Stripe:MaxRetries", "0"));
        using var client = stripe.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_simulator/clock")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_simulator/checkout/cs_1")).StatusCode);
        var port = stripe.Services.GetRequiredService<IPaymentsPort>();
        Assert.Equal("stripe", port.Provider);
        var result = await port.CreateCustomerAsync(new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), null, null), "k", default);
        Assert.Equal(PaymentsErrors.ProviderUnavailable, result.Error);
        Assert.Null(stripe.Services.GetService<SimulatorState>());
    }

    [Fact]
    public async Task Start_WithUnknownPaymentsProvider_ExitsNamingTheSetting()
    {
        var (exitCode, output) = await AppProcess.RunAsync("--urls http://127.0.0.1:0", new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Payments__Provider"] = "Paypal",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Payments:Provider", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithStripeSelectedWithoutKeys_ExitsNamingTheSettings()
    {
        var (exitCode, output) = await AppProcess.RunAsync("--urls http://127.0.0.1:0", new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Payments__Provider"] = "Stripe",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Payments:Stripe:SecretKey", output, StringComparison.Ordinal);
        Assert.Contains("Payments:Stripe:WebhookSecrets", output, StringComparison.Ordinal);
    }

    private async Task<(string SessionId, string CustomerId)> CreateSessionAsync()
    {
        var port = host.Factory.Services.GetRequiredService<IPaymentsPort>();
        var account = Guid.NewGuid();
        var customer = await port.CreateCustomerAsync(new CreateCustomerRequest(account, Guid.NewGuid(), "p@example.test", null), $"c-{account}", default);
        var session = await port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(account, customer.Value, CheckoutMode.Subscription, "sim_price_pro_monthly", 1, null,
                new Uri("https://app.example.test/billing/success"), new Uri("https://app.example.test/billing/canceled")),
            $"s-{account}", default);
        return (session.Value.ProviderSessionId, customer.Value);
    }
}
