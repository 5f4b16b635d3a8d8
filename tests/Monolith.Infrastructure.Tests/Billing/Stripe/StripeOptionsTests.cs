using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Payments;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

public sealed class StripeOptionsTests
{
    [Theory]
    [InlineData("Payments:Stripe:SecretKey")]
    [InlineData("Payments:Stripe:WebhookSecrets:0")]
    public async Task Start_StripeSelectedWithoutASetting_StopsNamingIt(string missing)
    {
        var settings = StripeHarness.Settings("http://127.0.0.1:9");
        settings.Remove(missing);
        settings.Remove("Payments:Stripe:WebhookSecrets:1");
        using var host = StripeHarness.BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(missing.Replace(":0", string.Empty, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StripeHarness.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Payments:Stripe:ApiBase", "not a url")]
    [InlineData("Payments:Stripe:RequestTimeoutSeconds", "0")]
    [InlineData("Payments:Stripe:WebhookToleranceSeconds", "-1")]
    [InlineData("Payments:Stripe:MaxRetries", "11")]
    [InlineData("Payments:Stripe:ApiVersion", "2025-03-31.basil")]
    public async Task Start_StripeWithAnInvalidSetting_StopsNamingIt(string setting, string value)
    {
        var settings = StripeHarness.Settings("http://127.0.0.1:9");
        settings[setting] = value;
        using var host = StripeHarness.BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InMemorySelected_IgnoresTheMissingStripeSettings()
    {
        var settings = StripeHarness.Settings("http://127.0.0.1:9")
            .Where(s => !s.Key.StartsWith("Payments:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        settings["Payments:Provider"] = "InMemory";
        settings["Payments:InMemory:AllowOutsideDevelopment"] = "true"; // the harness host runs as Production
        using var host = StripeHarness.BuildHost(settings);

        await host.StartAsync();

        Assert.Equal("inmemory", host.Services.GetRequiredService<IPaymentsPort>().Provider);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_StripeConfigured_RegistersTheStripePort()
    {
        await using var stripe = await StripeHarness.StartAsync();

        Assert.Equal("stripe", stripe.Port.Provider);
        Assert.True(stripe.Port.Capabilities.SupportsPortal);
    }

    [Fact]
    public async Task Start_StripeConfigured_RegistersOneStripeNetClientOnTheConfiguredApiBase()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var client = stripe.Services.GetRequiredService<global::Stripe.IStripeClient>();

        var customer = await new global::Stripe.CustomerService(client).CreateAsync(
            new global::Stripe.CustomerCreateOptions { Name = "Acme" }, new global::Stripe.RequestOptions { IdempotencyKey = "sdk-key-1" });

        Assert.Same(client, stripe.Services.GetRequiredService<global::Stripe.StripeClient>());
        Assert.Equal("Acme", customer.Name);
        // Usually one request; on a loaded machine the 1 s attempt may time out and Stripe.net retries with the same key.
        var requests = stripe.Fake.To("POST", "/v1/customers");
        Assert.NotEmpty(requests);
        Assert.All(requests, request => Assert.Equal(
            ("Bearer " + StripeHarness.SecretKey, global::Stripe.StripeConfiguration.ApiVersion, "sdk-key-1"),
            (request.Header("Authorization"), request.Header("Stripe-Version"), request.Header("Idempotency-Key"))));
    }
}
