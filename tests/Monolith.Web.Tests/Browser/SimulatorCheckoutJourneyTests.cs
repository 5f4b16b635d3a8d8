using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Web.Tests.Browser;

/// <summary>A person on the simulator's hosted checkout: a declined card, then a card that needs authentication.</summary>
public sealed class SimulatorCheckoutJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Checkout_DeclinedThenAuthenticatedCard_RedirectsToSuccessWithSessionId()
    {
        var port = browser.Services.GetRequiredService<IPaymentsPort>();
        var account = Guid.NewGuid();
        var customer = await port.CreateCustomerAsync(new CreateCustomerRequest(account, Guid.NewGuid(), null, null), $"c-{account}", default);
        var session = await port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(account, customer.Value, CheckoutMode.Subscription, "sim_price_pro_monthly", 1, null,
                new Uri(browser.BaseAddress, "/?paid=1"), new Uri(browser.BaseAddress, "/?canceled=1")), $"s-{account}", default);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(session.Value.Url.PathAndQuery);
        await Assertions.Expect(page.GetByTestId("amount")).ToHaveTextAsync("19.00 EUR");
        await page.GetByLabel("Card number").FillAsync("4000 0000 0000 0002");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 19.00 EUR" }).ClickAsync();
        await Assertions.Expect(page.Locator(".alert.error")).ToContainTextAsync("declined");

        await page.GetByLabel("Card number").FillAsync("4000 0025 0000 3155");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 19.00 EUR" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete authentication" }).ClickAsync();

        // The URL, not the page's load event: the success page may still be loading on a busy machine.
        await Assertions.Expect(page).ToHaveURLAsync(
            new Regex($"/\\?paid=1&session_id={Regex.Escape(session.Value.ProviderSessionId)}$"),
            new() { Timeout = BillingJourney.ConfirmTimeoutMs });
    }
}
