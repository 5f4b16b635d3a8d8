using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Billing.Payments;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary><c>doctor</c>'s Stripe check against the fake Stripe API: every sellable catalogue price is read and compared.</summary>
public sealed class StripePaymentsDoctorTests
{
    private const string ProMonthly = """{"id":"price_fake_pro_monthly","object":"price","active":true,"currency":"eur","unit_amount":1900,"recurring":{"interval":"month","interval_count":1}}""";
    private const string Lifetime = """{"id":"price_fake_lifetime","object":"price","active":true,"currency":"eur","unit_amount":9900,"recurring":null}""";

    [Fact]
    public async Task Check_WhenEveryPriceMatches_ReportsThemVerified()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer($"/v1/prices/{StripeHarness.StripeProMonthly}", 200, ProMonthly);
        stripe.Fake.Answer($"/v1/prices/{StripeHarness.StripeLifetime}", 200, Lifetime);

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var only = Assert.Single(findings);
        Assert.True(only.Ok);
        Assert.Contains("2 catalogue price(s) verified", only.Message, StringComparison.Ordinal);
        // Distinct paths: under load a slow attempt may time out and be retried.
        Assert.Equal(2, stripe.Fake.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/prices/", StringComparison.Ordinal)).Select(r => r.Path).Distinct().Count());
    }

    [Fact]
    public async Task Check_WhenAPriceDiffersOrIsUnknown_NamesEachProblem()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer($"/v1/prices/{StripeHarness.StripeProMonthly}", 200, ProMonthly.Replace("1900", "2900", StringComparison.Ordinal));

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        var problems = findings.Where(f => !f.Ok).Select(f => f.Message).ToList();
        Assert.Contains(problems, p => p.Contains("'pro-monthly'", StringComparison.Ordinal) && p.Contains("amount 2900 ≠ 1900", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'lifetime-report'", StringComparison.Ordinal) && p.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WhenStripeCannotBeReached_FailsWithoutLeakingTheKey()
    {
        await using var stripe = await StripeHarness.StartAsync(new Dictionary<string, string?> { ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:1" });

        var findings = await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default);

        Assert.False(findings[0].Ok);
        Assert.Equal(2, findings.Count(f => !f.Ok && f.Message.Contains("could not be read", StringComparison.Ordinal)));
        Assert.DoesNotContain(findings, f => f.Message.Contains(StripeHarness.SecretKey, StringComparison.Ordinal));
    }
}
