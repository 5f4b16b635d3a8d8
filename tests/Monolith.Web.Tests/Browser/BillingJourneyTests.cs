using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Web.Tests.Browser;

/// <summary>
/// Checkout → webhook → access, as a person does it: the real app on Kestrel, the simulator's hosted checkout, signed
/// webhooks delivered over HTTP to /webhooks/inmemory, Debian's Chromium.
/// </summary>
public sealed class BillingJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Subscribe_WithTheSuccessCard_BecomesActiveAndOpensTheGatedPage()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-locked")).ToBeVisibleAsync();

        await BillingJourney.PayAsync(page, "pro-monthly", "4242 4242 4242 4242");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/billing/success\\?session_id="));
        await BillingJourney.ExpectConfirmedAsync(page);
        await Assertions.Expect(page.GetByTestId("checkout-result")).ToContainTextAsync("Pro plan is active");
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-title")).ToBeVisibleAsync();
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("subscription-status")).ToHaveTextAsync("Active");
        await Assertions.Expect(page.GetByTestId("invoices")).ToContainTextAsync("€19.00");
        await page.GotoAsync("/pricing");
        await Assertions.Expect(page.GetByTestId("plan-pro").GetByTestId("current-plan")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Pricing_ForASubscriber_ShowsCurrentPlanAndSwitchToThatChangesThePlan()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);
        await BillingJourney.PayAsync(page, "team-monthly", "4242 4242 4242 4242");
        await BillingJourney.ExpectConfirmedAsync(page);

        await page.GotoAsync("/pricing");

        await Assertions.Expect(page.GetByTestId("plan-team").GetByTestId("current-plan")).ToHaveTextAsync("Current plan");
        await Assertions.Expect(page.GetByTestId("plan-team").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("choose-pro-monthly")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("choose-team-monthly")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("switch-pro-monthly")).ToHaveTextAsync("Switch to Pro");
        await Assertions.Expect(page.GetByTestId("choose-priority-support-monthly")).ToHaveTextAsync("Choose Priority support"); // an add-on coexists

        await page.GetByTestId("switch-pro-monthly").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/billing$"));
        await Assertions.Expect(page.GetByTestId("billing-message")).ToContainTextAsync("Plan change requested");
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(BillingJourney.ConfirmTimeoutMs);
        do
        {
            await page.GotoAsync("/pricing");
        }
        while (await page.GetByTestId("plan-pro").GetByTestId("current-plan").CountAsync() == 0 && DateTimeOffset.UtcNow < deadline);

        await Assertions.Expect(page.GetByTestId("plan-pro").GetByTestId("current-plan")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("switch-team-monthly")).ToHaveTextAsync("Switch to Team");
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("plan-name")).ToHaveTextAsync("Pro");
    }

    [Fact]
    public async Task Pricing_AfterBuyingTheOneTimeProduct_ShowsItOwnedAndDoesNotOfferItAgain()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);
        await BillingJourney.PayAsync(page, "lifetime-report", "4242 4242 4242 4242");
        await BillingJourney.ExpectConfirmedAsync(page);

        await BillingJourney.ReloadUntilVisibleAsync(page, "/pricing", "owned");

        await Assertions.Expect(page.GetByTestId("plan-lifetime-report").GetByTestId("owned")).ToHaveTextAsync("Owned");
        await Assertions.Expect(page.GetByTestId("choose-lifetime-report")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("choose-pro-monthly")).ToHaveTextAsync("Choose Pro");
    }

    [Fact]
    public async Task Subscribe_WithADeclinedCard_ShowsTheErrorAndGrantsNothing()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);

        await BillingJourney.PayAsync(page, "pro-monthly", "4000 0000 0000 0002");

        await Assertions.Expect(page.Locator(".alert.error")).ToContainTextAsync("declined");
        await page.GotoAsync("/features/reports");
        await Assertions.Expect(page.GetByTestId("reports-locked")).ToBeVisibleAsync();
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("plan-name")).ToHaveTextAsync("Free");
    }

    [Fact]
    public async Task Buy_TheOneTimeProduct_IsFulfilledOnceAndIncluded()
    {
        var page = await browser.NewPageAsync();
        var email = await BillingJourney.RegisterAsync(page);

        await BillingJourney.PayAsync(page, "lifetime-report", "4242 4242 4242 4242");

        await BillingJourney.ExpectConfirmedAsync(page);
        await Assertions.Expect(page.GetByTestId("checkout-result")).ToContainTextAsync("Payment received for Lifetime report");
        await page.GotoAsync("/billing");
        await Assertions.Expect(page.GetByTestId("balances").Locator("li", new() { HasText = "Lifetime report" })).ToContainTextAsync("included");
        var payments = await page.Context.APIRequest.GetAsync("/api/billing/entitlements/lifetime-report");
        Assert.Contains("\"allowed\":true", await payments.TextAsync(), StringComparison.Ordinal);

        // The fulfilment hook runs from the outbox after the webhook's commit: exactly one fulfilment for the payment.
        var fulfilments = await WaitForFulfilmentsAsync(email);
        Assert.Equal(1, fulfilments);
    }

    private async Task<int> WaitForFulfilmentsAsync(string email)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = browser.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var count = await db.Fulfilments.CountAsync(f => db.BillingAccounts.Any(a => a.Id == f.BillingAccountId
                && db.Memberships.Any(m => m.OrganizationId == a.OrganizationId && db.Users.Any(u => u.Id == m.UserId && u.Email == email))));
            if (count > 0 || DateTimeOffset.UtcNow > deadline)
            {
                return count;
            }

            await Task.Delay(50);
        }
    }
}
