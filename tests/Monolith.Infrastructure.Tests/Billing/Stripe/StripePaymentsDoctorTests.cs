using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Billing.Payments;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// <c>doctor</c>'s Stripe checks against the fake Stripe API: the key (one authenticated read), the webhook secrets'
/// shape, and every sellable catalogue price read and compared.
/// </summary>
public sealed class StripePaymentsDoctorTests
{
    [Fact]
    public async Task Check_WhenEverythingMatches_ReportsTheKeyTheSecretsAndThePricesVerified()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        Assert.All(findings, f => Assert.True(f.Ok, f.Message));
        Assert.Equal(
            [$"payments: Stripe key accepted (test mode) at {stripe.Fake.BaseAddress}", "payments: 2 Stripe webhook signing secret(s) of the right shape",
             "payments: Stripe — 2 catalogue price(s) verified against the API"],
            findings.Select(f => f.Message));
        var list = Assert.Single(stripe.Fake.To("GET", "/v1/prices"));
        Assert.Equal("1", list["limit"]);
        Assert.Equal("Bearer " + StripeHarness.SecretKey, list.Header("Authorization"));
        // Distinct paths: under load a slow attempt may time out and be retried.
        Assert.Equal(2, stripe.Fake.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/prices/", StringComparison.Ordinal)).Select(r => r.Path).Distinct().Count());
    }

    [Fact]
    public async Task Check_WhenPricesDifferOrAreUnknown_NamesEachProblemByPrice()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Prices[StripeHarness.StripeProMonthly] = (2900, "usd");
        stripe.Fake.Prices.TryRemove(StripeHarness.StripeLifetime, out _);

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var problems = findings.Where(f => !f.Ok).Select(f => f.Message).ToList();
        Assert.Equal(3, problems.Count); // the two prices, and the summary with none verified
        Assert.Contains(problems, p => p.Contains("'pro-monthly'", StringComparison.Ordinal) && p.Contains("amount 2900 ≠ 1900; currency usd ≠ EUR", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'lifetime-report'", StringComparison.Ordinal) && p.Contains("could not be read", StringComparison.Ordinal)
            && p.Contains("billing.provider.object_not_found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WhenThePriceIntervalOrActiveFlagDiffers_NamesIt()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer($"/v1/prices/{StripeHarness.StripeProMonthly}", 200,
            """{"id":"price_fake_pro_monthly","object":"price","active":false,"currency":"eur","unit_amount":1900,"recurring":{"interval":"month","interval_count":3}}""");
        stripe.Fake.Answer($"/v1/prices/{StripeHarness.StripeLifetime}", 200,
            """{"id":"price_fake_lifetime","object":"price","active":true,"currency":"eur","unit_amount":9900,"recurring":{"interval":"year","interval_count":1}}""");

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var problems = findings.Where(f => !f.Ok).Select(f => f.Message).ToList();
        Assert.Contains(problems, p => p.Contains("'pro-monthly'", StringComparison.Ordinal) && p.Contains("interval every 3 months ≠ month; inactive at Stripe", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'lifetime-report'", StringComparison.Ordinal) && p.Contains("interval year ≠ one-time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WhenTheKeyIsRefused_SaysSoWithoutTheKey()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer("/v1/prices", 401, """{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****"}}""");

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var key = findings[0];
        Assert.False(key.Ok);
        Assert.Contains("Payments:Stripe:SecretKey", key.Message, StringComparison.Ordinal);
        Assert.Contains("billing.provider.not_configured", key.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Message.Contains(StripeHarness.SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WhenAWebhookSecretHasTheWrongShape_NamesTheSettingNotTheValue()
    {
        const string NotASecret = "sk_test_pasted_the_api_key_here_0123";
        await using var stripe = await StripeHarness.StartAsync(new Dictionary<string, string?> { ["Payments:Stripe:WebhookSecrets:1"] = NotASecret });

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var problem = Assert.Single(findings, f => !f.Ok);
        Assert.StartsWith("Payments:Stripe:WebhookSecrets:1 (env Payments__Stripe__WebhookSecrets__1) is not a webhook signing secret", problem.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Ok && f.Message == "payments: 1 Stripe webhook signing secret(s) of the right shape");
        Assert.DoesNotContain(findings, f => f.Message.Contains(NotASecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WhenStripeCannotBeReached_FailsWithoutLeakingTheKey()
    {
        await using var stripe = await StripeHarness.StartAsync(new Dictionary<string, string?> { ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:1" });

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        Assert.False(findings[0].Ok);
        Assert.Contains("billing.provider.unavailable", findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(2, findings.Count(f => !f.Ok && f.Message.Contains("could not be read", StringComparison.Ordinal)));
        Assert.DoesNotContain(findings, f => f.Message.Contains(StripeHarness.SecretKey, StringComparison.Ordinal));
    }
}
