using Microsoft.Playwright;

namespace Monolith.Web.Tests.Browser;

/// <summary>Its own app (and simulator clock), because advancing the test clock affects every subscription in it.</summary>
public sealed class SubscriptionLifecycleJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CancelAtPeriodEnd_ThenAdvanceTheTestClock_AccessEnds()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);
        await BillingJourney.PayAsync(page, "pro-monthly", "4242 4242 4242 4242");
        await BillingJourney.ExpectConfirmedAsync(page);

        await page.GotoAsync("/billing");
        await page.GetByTestId("cancel").ClickAsync();
        await Assertions.Expect(page.GetByTestId("billing-message")).ToBeVisibleAsync();
        await BillingJourney.ReloadUntilVisibleAsync(page, "/billing", "cancel-scheduled");
        await Assertions.Expect(page.GetByTestId("status-banner-title")).ToContainTextAsync("Your plan ends on");
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-title")).ToBeVisibleAsync();

        await page.GotoAsync("/_simulator/clock");
        await page.GetByRole(AriaRole.Button, new() { Name = "Advance 1 month" }).ClickAsync();

        await BillingJourney.ReloadUntilVisibleAsync(page, "/features/reports", "reports-locked");
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("subscription-status")).ToHaveTextAsync("Canceled");
        await Assertions.Expect(page.GetByTestId("status-banner-title")).ToHaveTextAsync("Your subscription has ended");
        await page.GetByTestId("resubscribe").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/pricing$"));
    }
}
