using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Monolith.Web.Tests.Browser;

/// <summary>A status the customer can act on: a failed renewal shows what is due and until when access lasts, the
/// banner's "Update payment method" leads to the provider's portal, and the next retry recovers the subscription.</summary>
public sealed class BillingStatusJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PastDue_ShowsTheAmountAndGraceEnd_UpdateCardFromTheBanner_NextRetryRecovers()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);
        await BillingJourney.PayAsync(page, "pro-monthly", "4242 4242 4242 4242");
        await BillingJourney.ExpectConfirmedAsync(page);
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("status-banner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("card-on-file")).ToHaveTextAsync("Visa ending 4242");

        await SetCardInPortalAsync(page, page.GetByTestId("update-card"), "Insufficient funds");
        await AdvanceClockAsync(page, "Advance 1 month");
        await BillingJourney.ReloadUntilTextAsync(page, "/billing", "subscription-status", "Past due");

        await Assertions.Expect(page.GetByTestId("status-banner-title")).ToHaveTextAsync("Your last payment failed");
        await Assertions.Expect(page.GetByTestId("card-on-file")).ToHaveTextAsync("Visa ending 9995");
        // Grace: 7 days from the start of the period whose invoice failed (docs/billing.md, access policy).
        await Assertions.Expect(page.GetByTestId("status-banner-detail")).ToContainTextAsync(new Regex(@"^€19\.00 is due\. Paid features stay on until \d{1,2} \w{3} \d{4}\."));
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-title")).ToBeVisibleAsync();

        await page.GotoAsync("/billing");
        await SetCardInPortalAsync(page, page.GetByTestId("update-payment-method"), "Succeeds");
        await AdvanceClockAsync(page, "Advance 7 days"); // the simulator retries a failed invoice every 3 days
        await BillingJourney.ReloadUntilTextAsync(page, "/billing", "subscription-status", "Active");
        await Assertions.Expect(page.GetByTestId("status-banner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("invoices")).Not.ToContainTextAsync("Open"); // the failed invoice was paid by the retry
    }

    private static async Task SetCardInPortalAsync(IPage page, ILocator opener, string outcome)
    {
        await opener.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/_simulator/portal/"));
        await page.GetByLabel("Card").SelectOptionAsync(new SelectOptionValue { Label = outcome });
        await page.GetByRole(AriaRole.Button, new() { Name = "Update card" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Card").Locator("option:checked")).ToHaveTextAsync(outcome);
    }

    private static async Task AdvanceClockAsync(IPage page, string step)
    {
        await page.GotoAsync("/_simulator/clock");
        await page.GetByRole(AriaRole.Button, new() { Name = step }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("now")).ToBeVisibleAsync();
    }
}
