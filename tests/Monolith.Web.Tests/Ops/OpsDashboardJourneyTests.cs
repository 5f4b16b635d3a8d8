using System.Net;
using Microsoft.Playwright;
using Monolith.Infrastructure.Outbox;
using Monolith.Web.Tests.Browser;

namespace Monolith.Web.Tests.Ops;

/// <summary>The ops app on Kestrel (127.0.0.1, random port) driven by Debian's Chromium, as in the other browser tests.</summary>
public sealed class OpsBrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public OpsTestApp App { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.StartAsync();
        App.Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        App.Factory.StartServer();
        BaseAddress = App.Factory.ClientOptions.BaseAddress;

        if (!File.Exists(BrowserFixture.ChromiumPath))
        {
            throw new InvalidOperationException($"{BrowserFixture.ChromiumPath} is missing: run the tests with build/test.sh, which installs Debian's chromium.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-dev-shm-usage", "--disable-quic",
            ],
        });
    }

    public async Task<IPage> SignedInPageAsync(string email, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString().TrimEnd('/') });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(15_000); // a CI machine running every suite at once is slow to render
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>The browser test: a non-ops user is refused; an ops user finds a dead delivery, requeues it and sees it succeed.</summary>
public sealed class OpsDashboardJourneyTests(OpsBrowserFixture browser) : IClassFixture<OpsBrowserFixture>
{
    [Fact]
    public async Task NonOpsUser_OpeningOps_IsRefused()
    {
        var page = await browser.SignedInPageAsync("demo@monolith.local", "demo-password-1");

        var response = await page.GotoAsync("/ops/deliveries");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Ops" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OpsUser_RequeuesADeadDelivery_AndSeesItSucceed()
    {
        var (id, heal) = await browser.App.DeadDeliveryAsync();
        var page = await browser.SignedInPageAsync("ops@monolith.local", "ops-password-1");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Ops" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-dead")).Not.ToHaveTextAsync("0");
        await page.GetByTestId("count-dead").ClickAsync();
        var row = page.Locator($"tr[data-delivery-id='{id}']");
        await Assertions.Expect(row.GetByTestId("delivery-state")).ToHaveTextAsync("Dead");
        await row.GetByTestId("delivery-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("delivery-last-error")).ToContainTextAsync("test.ops_probe_failed");

        heal(); // the cause is fixed; now the operator retries
        await page.GetByTestId("requeue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("ops-message")).ToContainTextAsync("requeued");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await page.GetByTestId("delivery-state").TextContentAsync() != "Succeeded" && DateTime.UtcNow < deadline)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Refresh" }).ClickAsync();
        }

        await Assertions.Expect(page.GetByTestId("delivery-state")).ToHaveTextAsync("Succeeded");
        Assert.Equal(OutboxDeliveryState.Succeeded, (await browser.App.DeliveryAsync(id))!.State);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var entry = page.GetByTestId("audit-row").Filter(new() { HasText = id.ToString() });
        await Assertions.Expect(entry.GetByTestId("audit-action")).ToHaveTextAsync("delivery.requeue");
        await Assertions.Expect(entry.GetByTestId("audit-actor")).ToHaveTextAsync("ops@monolith.local");
    }
}
