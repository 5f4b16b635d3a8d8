using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Monolith.Web.Tests.Ops;

/// <summary>
/// The Hangfire dashboard in Chromium: ops opens the recurring jobs, triggers one now (the dashboard's own script
/// posts with our antiforgery header), and its run succeeds — with no CSP violation on the way; a member gets 403.
/// </summary>
public sealed class HangfireDashboardBrowserTests(OpsBrowserFixture browser) : IClassFixture<OpsBrowserFixture>
{
    private const string Job = "billing.inbox-retry"; // pinned to never fire by itself in the ops app

    [Fact]
    public async Task OpsUser_TriggersARecurringJobNow_AndSeesItSucceed()
    {
        var page = await browser.SignedInPageAsync("ops@monolith.local", "ops-password-1");
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: page error {error}");
        var before = LastJobId();

        await page.GotoAsync("/ops");
        await page.GetByTestId("ops-nav-jobs").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/hangfire/recurring$"));
        var row = page.Locator("tr").Filter(new() { Has = page.Locator($"input.js-jobs-list-checkbox[value='{Job}']") });
        await row.Locator("input.js-jobs-list-checkbox").CheckAsync();
        // The dashboard's script posts the command and then reloads the list page by itself: wait for that reload to
        // commit before going anywhere, or our own navigation races it (net::ERR_ABORTED).
        await page.RunAndWaitForResponseAsync(
            () => page.Locator("button.js-jobs-list-command").Filter(new() { HasText = "Trigger now" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.Contains("/hangfire/recurring/trigger", StringComparison.Ordinal));

        string? jobId = null;
        await OpsTestApp.WaitUntilAsync(() =>
        {
            jobId = LastJobId();
            return Task.FromResult(jobId is not null && jobId != before);
        }, "the trigger to enqueue a run");
        // The list page may still be reloading after the command: read the job on a page of its own (same sign-in).
        page = await page.Context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: page error {error}");
        await page.GotoAsync($"/hangfire/jobs/details/{jobId}");
        await Assertions.Expect(page.Locator("h1.page-header")).ToContainTextAsync(Job);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await page.Locator(".state-card-title").Filter(new() { HasText = "Succeeded" }).IsVisibleAsync() && DateTime.UtcNow < deadline)
        {
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator(".state-card-title").Filter(new() { HasText = "Succeeded" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to site" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ops$"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task Member_OpeningTheDashboard_Gets403()
    {
        var page = await browser.SignedInPageAsync("demo@monolith.local", "demo-password-1");

        var response = await page.GotoAsync("/hangfire/recurring");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("for the ops role");
    }

    private string? LastJobId()
    {
        using var connection = browser.App.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([Job]).Single().LastJobId;
    }
}
