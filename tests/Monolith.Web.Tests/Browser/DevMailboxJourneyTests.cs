using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monolith.Application.Common.Email;

namespace Monolith.Web.Tests.Browser;

/// <summary>The development mailbox in Chromium: the HTML preview renders under its own policy and its links open.</summary>
public sealed class DevMailboxJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignedInUser_OpensTheirEmail_SeesTheHtmlPreview_AndItsLinkOpensInANewTab()
    {
        var page = await browser.NewPageAsync();
        var email = await BillingJourney.RegisterAsync(page);
        var key = $"journey-{Guid.NewGuid():N}.billing.email.receipt";
        var link = new Uri(browser.BaseAddress, "/pricing").ToString();
        var sent = await browser.Services.GetRequiredService<IEmailSender>().SendAsync(
            new EmailMessage(email, "Receipt: 49.00 EUR paid", $"Paid. {link}",
                $"<html><head><style>p {{ color: rgb(0, 128, 0); }}</style></head><body><p data-testid=\"paid\">Paid 49.00 EUR</p><a href=\"{link}\">See pricing</a></body></html>", key),
            CancellationToken.None);
        Assert.True(sent.IsSuccess);

        await page.GotoAsync("/_dev/mailbox");
        await Assertions.Expect(page.GetByTestId("scope")).ToContainTextAsync(email);
        await page.GetByRole(AriaRole.Link, new() { Name = "Receipt: 49.00 EUR paid" }).ClickAsync();

        var preview = page.FrameLocator("[data-testid=html-preview]");
        await Assertions.Expect(preview.GetByTestId("paid")).ToHaveTextAsync("Paid 49.00 EUR");
        // The email's own <style> applies inside the frame (the preview's policy allows inline styles, not scripts).
        await Assertions.Expect(preview.GetByTestId("paid")).ToHaveCSSAsync("color", "rgb(0, 128, 0)");

        var popup = await page.Context.RunAndWaitForPageAsync(() => preview.GetByRole(AriaRole.Link, new() { Name = "See pricing" }).ClickAsync());
        await popup.WaitForLoadStateAsync();
        Assert.EndsWith("/pricing", popup.Url, StringComparison.Ordinal);
        await Assertions.Expect(popup.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
    }
}
