using Microsoft.Playwright;

namespace Monolith.Web.Tests.Browser;

/// <summary>Steps a person takes, shared by the billing journeys.</summary>
internal static class BillingJourney
{
    public const float ConfirmTimeoutMs = 30_000;

    public static async Task<string> RegisterAsync(IPage page)
    {
        var email = $"buyer-{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/account/register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a-long-password");
        await page.GetByLabel("Confirm password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();
        return email;
    }

    /// <summary>Pricing → choose the price → the simulator's hosted checkout → pay with <paramref name="card"/>.</summary>
    public static async Task PayAsync(IPage page, string priceId, string card, string? interval = null)
    {
        await page.GotoAsync(interval is null ? "/pricing" : $"/pricing?interval={interval}");
        await page.GetByTestId($"choose-{priceId}").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/_simulator/checkout/"));
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
    }

    /// <summary>The success page refreshes itself until the webhook has been applied.</summary>
    public static Task ExpectConfirmedAsync(IPage page) =>
        Assertions.Expect(page.GetByTestId("confirmed")).ToBeVisibleAsync(new() { Timeout = ConfirmTimeoutMs });

    /// <summary>Reloads <paramref name="path"/> until <paramref name="testId"/> shows (state arrives by webhook).</summary>
    public static async Task ReloadUntilVisibleAsync(IPage page, string path, string testId)
    {
        await ReloadUntilAsync(page, path, async () => await page.GetByTestId(testId).CountAsync() > 0);
        await Assertions.Expect(page.GetByTestId(testId)).ToBeVisibleAsync();
    }

    /// <summary>Reloads <paramref name="path"/> until <paramref name="testId"/> reads <paramref name="text"/>.</summary>
    public static async Task ReloadUntilTextAsync(IPage page, string path, string testId, string text)
    {
        await ReloadUntilAsync(page, path, async () =>
            await page.GetByTestId(testId).CountAsync() > 0 && (await page.GetByTestId(testId).InnerTextAsync()).Trim() == text);
        await Assertions.Expect(page.GetByTestId(testId)).ToHaveTextAsync(text);
    }

    private static async Task ReloadUntilAsync(IPage page, string path, Func<Task<bool>> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(ConfirmTimeoutMs);
        while (true)
        {
            await page.GotoAsync(path);
            if (await done() || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }

            await page.WaitForTimeoutAsync(250);
        }
    }
}
