using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Persistence;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>
/// What a curious or hostile user may try with a valid session: redirect targets off this site, amounts or customer ids
/// of their own choosing, forms posted without the antiforgery token, the ops pages. All refused (or ignored, where the
/// server never reads the value), and nothing written.
/// </summary>
public sealed class RefusalTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    /// <summary>
    /// An absolute URL on another origin is refused by the redirect policy; a value that is not an absolute http(s) URL
    /// at all (protocol-relative, backslash tricks, javascript:, a relative path) already fails the validator.
    /// </summary>
    private static readonly string[] RedirectRefusalCodes = ["billing.checkout.redirect_not_allowed", "validation.failed"];

    public static TheoryData<string, string> OffSiteUrls()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "successUrl", "cancelUrl" })
        {
            foreach (var url in new[]
                     {
                         "https://evil.example/welcome", "//evil.example/welcome", "/\\evil.example/welcome", "\\\\evil.example/welcome",
                         "javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                         "http://localhost.evil.example/", "http://localhost@evil.example/", "https://localhost/billing/success",
                         "ftp://localhost/billing/success", "billing/success",
                     })
            {
                data.Add(field, url);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OffSiteUrls))]
    public async Task Checkout_RedirectUrlOffThisSite_Is400AndCreatesNothing(string field, string url)
    {
        var client = await RegisterAsync();
        var body = new Dictionary<string, string> { ["priceId"] = "pro-monthly", [field] = url };
        var before = await BillingCountsAsync();

        var response = await client.PostAsJsonAsync("/api/billing/checkout", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}={url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(await CodeAsync(response), RedirectRefusalCodes);
        var delta = TableCounts.Delta(before, await BillingCountsAsync());
        Assert.True(delta.Count == 0, $"{field}={url} wrote {TableCounts.Describe(delta)}");
    }

    [Theory]
    [InlineData("https://evil.example/back")]
    [InlineData("//evil.example/back")]
    [InlineData("/\\evil.example/back")]
    [InlineData("javascript:alert(1)")]
    public async Task Portal_ReturnUrlOffThisSite_Is400(string url)
    {
        var client = await RegisterAsync();

        var response = await client.PostAsJsonAsync("/api/billing/portal", new { returnUrl = url });

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(await CodeAsync(response), RedirectRefusalCodes);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task SignIn_ReturnUrlOffThisSite_RedirectsHome(string returnUrl)
    {
        var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            new() { ["Input.Email"] = "demo@monolith.local", ["Input.Password"] = "demo-password-1" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Checkout_ClientSuppliedAmountCurrencyAndCustomer_AreIgnored()
    {
        var client = await RegisterAsync();
        var otherAccount = Guid.NewGuid();

        var response = await client.PostAsJsonAsync("/api/billing/checkout", new
        {
            priceId = "pro-monthly", amount = 1, amountMinor = 1, unitAmount = 1, currency = "USD", customerId = "cus_attacker",
            customer = "cus_attacker", providerCustomerId = "cus_attacker", billingAccountId = otherAccount, clientReferenceId = otherAccount,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var providerSessionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("providerSessionId").GetString()!;
        var session = host.Factory.Services.GetRequiredService<SimulatorState>().FindCheckout(providerSessionId)!;
        Assert.Equal(1900, session.AmountMinor);
        Assert.Equal("EUR", session.Currency);
        Assert.Equal("pro-monthly", session.PriceId);
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.CheckoutSessions.AsNoTracking().SingleAsync(s => s.ProviderSessionId == providerSessionId);
        Assert.NotEqual(otherAccount, stored.BillingAccountId);
        var customers = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == stored.BillingAccountId).SelectMany(a => a.Customers).Select(c => c.CustomerId).ToListAsync();
        Assert.Single(customers);
        Assert.DoesNotContain("cus_attacker", customers);
        Assert.False(await db.BillingAccounts.AnyAsync(a => a.Id == otherAccount));
    }

    [Fact]
    public async Task AnyPageForm_PostedWithoutTheAntiforgeryToken_Is400AndWritesNothing()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");
        var failures = new List<string>();
        var pages = PageRoutes();
        Assert.Contains("/billing", pages, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("/pricing", pages, StringComparer.OrdinalIgnoreCase);
        var before = await BillingCountsAsync();

        // /error is re-executed by the exception handler for failed POSTs: it ignores the token and has no action.
        foreach (var page in pages.Where(p => !p.Equals("/error", StringComparison.OrdinalIgnoreCase)))
        {
            var path = string.Concat(page.Split('/').Select((segment, i) => (i == 0 ? "" : "/") + segment switch
            {
                "{sessionId}" => "cs_sim_x",
                "{portalSessionId}" => "bps_sim_x",
                _ when segment.StartsWith('{') => Guid.NewGuid().ToString(),
                _ => segment,
            }));
            foreach (var handler in new[] { "", "?handler=Checkout", "?handler=Cancel", "?handler=Change", "?handler=Portal", "?handler=Pay", "?handler=Advance" })
            {
                var response = await client.PostAsync(path + handler, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["priceId"] = "pro-monthly", ["subscriptionId"] = Guid.NewGuid().ToString(), ["CardNumber"] = "4242424242424242", ["step"] = "1m",
                }));
                var deniedFirst = path.StartsWith("/ops", StringComparison.OrdinalIgnoreCase) && response.StatusCode == HttpStatusCode.Redirect &&
                                  response.Headers.Location!.AbsolutePath.StartsWith("/account/access-denied", StringComparison.OrdinalIgnoreCase);
                if (response.StatusCode != HttpStatusCode.BadRequest && !deniedFirst)
                {
                    failures.Add($"POST {path}{handler}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var delta = TableCounts.Delta(before, await BillingCountsAsync());
        Assert.True(delta.Count == 0, $"token-less posts wrote {TableCounts.Describe(delta)}");
    }

    [Fact]
    public async Task AnyOpsPage_AsASignedInUserWithoutTheOpsRole_IsForbidden()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");
        var ops = PageRoutes().Where(p => p.StartsWith("/ops", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains("/ops", ops, StringComparer.OrdinalIgnoreCase);

        foreach (var page in ops)
        {
            var path = string.Concat(page.Split('/').Select((segment, i) => (i == 0 ? "" : "/") + (segment.StartsWith('{') ? Guid.NewGuid().ToString() : segment)));
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            Assert.StartsWith("/account/access-denied", response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
            var denied = await client.GetAsync(response.Headers.Location);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.DoesNotContain("data-testid=\"ops-title\"", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Every Razor page route the app serves, as "/path/{param}".</summary>
    private List<string> PageRoutes() =>
        host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Select(p => p.Replace("{handler?}", "", StringComparison.Ordinal).TrimEnd('/'))
            .Select(p => p.Length == 0 ? "/" : p)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task<Dictionary<string, long>> BillingCountsAsync() =>
        (await TableCounts.ReadAsync(host.Factory.Services))
            .Where(c => c.Key.StartsWith("billing_", StringComparison.Ordinal) || c.Key == "idempotency_records")
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private async Task<HttpClient> RegisterAsync()
    {
        var client = host.CreateClient();
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"refuse-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        return client;
    }
}
