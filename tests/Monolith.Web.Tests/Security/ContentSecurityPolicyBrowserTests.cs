using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monolith.Web.Tests.Browser;

namespace Monolith.Web.Tests.Security;

/// <summary>
/// The pages still work in Chromium under the Content-Security-Policy: a whole purchase (pricing → the simulator's hosted
/// checkout → success → billing) raises no CSP violation. A control proves the policy is enforced and that violations
/// are seen: an injected inline script is refused and reported.
/// </summary>
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task BillingPages_UnderTheCsp_WorkWithoutViolations_AndInlineScriptIsRefused()
    {
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: page error {error}");

        var pricing = await page.GotoAsync("/pricing");
        Assert.Contains("frame-ancestors 'none'", (await pricing!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await BillingJourney.RegisterAsync(page);
        await BillingJourney.PayAsync(page, "pro-monthly", "4242 4242 4242 4242");
        await BillingJourney.ExpectConfirmedAsync(page);
        await BillingJourney.ReloadUntilVisibleAsync(page, "/billing", "subscription-status");
        await page.GotoAsync("/pricing?interval=year");
        await Assertions.Expect(page.GetByTestId("current-plan")).ToBeVisibleAsync();
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-title")).ToBeVisibleAsync();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));

        // Control: an inline script injected into the page does not run, and the browser reports the violation.
        var ran = await page.EvaluateAsync<bool>("""
            () => {
              const s = document.createElement('script');
              s.textContent = 'window.__inlineRan = true;';
              document.head.appendChild(s);
              return window.__inlineRan === true;
            }
            """);
        Assert.False(ran);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (violations.Count == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await page.WaitForTimeoutAsync(50);
        }

        Assert.Contains(violations, v => Regex.IsMatch(v, "script-src", RegexOptions.IgnoreCase));
    }
}
