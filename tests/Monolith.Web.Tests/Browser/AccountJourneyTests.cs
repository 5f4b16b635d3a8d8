using Microsoft.Playwright;

namespace Monolith.Web.Tests.Browser;

/// <summary>What a person does first: register, sign out, sign in, see the home page.</summary>
public sealed class AccountJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Register_SignOut_SignIn_SeesHomePageWithPersonalOrganization()
    {
        var page = await browser.NewPageAsync();
        var email = $"lin-{Guid.NewGuid():N}@example.test";

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Create account" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a-long-password");
        await page.GetByLabel("Confirm password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("welcome")).ToHaveTextAsync("Welcome back");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        await Assertions.Expect(page.GetByTestId("organizations")).ToContainTextAsync($"{email.Split('@')[0]}'s organisation");
    }

    [Fact]
    public async Task Register_MismatchedPasswords_ShowsTheErrorNextToTheField()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/account/register");
        await page.GetByLabel("Email").FillAsync($"typo-{Guid.NewGuid():N}@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a-long-password");
        await page.GetByLabel("Confirm password").FillAsync("a-different-one");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page.Locator(".field-error")).ToContainTextAsync(["The passwords do not match."]);
        await Assertions.Expect(page.GetByTestId("welcome")).ToHaveCountAsync(0);
    }
}
