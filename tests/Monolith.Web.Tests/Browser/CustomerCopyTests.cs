using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Web.Tests.Browser;

/// <summary>
/// No raw id or enum name reaches a customer: every page of a subscription's life (pricing both tabs, the hosted
/// checkout, success, billing active and past due, the provider's portal) is read as visible text and scanned for the
/// catalogue's ids, the provider's price ids and multi-word enum names in any spelling.
/// </summary>
public sealed partial class CustomerCopyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task EveryCustomerPage_ReadsAsWords_FromPricingToPastDue()
    {
        var page = await browser.NewPageAsync();
        await BillingJourney.RegisterAsync(page);

        await ScanAsync(page, "/");
        await ScanAsync(page, "/pricing");
        await Assertions.Expect(page.GetByTestId("plan-pro")).ToContainTextAsync("API calls");
        var yearly = await ScanAsync(page, "/pricing?interval=year");
        // 12 × €19.00 = €228.00 against €190.00 a year: 16.67 % → "16%" (rounded down, never promising more).
        Assert.Contains("Yearly (save up to 16%)", yearly, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("saving-pro")).ToHaveTextAsync("Save 16% against paying monthly");

        await page.GotoAsync("/pricing");
        await page.GetByTestId("choose-pro-monthly").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/_simulator/checkout/"));
        var checkout = Scan(page.Url, await page.InnerTextAsync("body"));
        Assert.Contains("Pay for Pro", checkout, StringComparison.Ordinal);
        Assert.Contains("Insufficient funds", checkout, StringComparison.Ordinal);
        await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await BillingJourney.ExpectConfirmedAsync(page);
        Scan(page.Url, await page.InnerTextAsync("body"));

        var active = await ScanAsync(page, "/billing");
        Assert.Contains("Active", active, StringComparison.Ordinal);

        // The provider's portal: plan name, status and card in words; switch the card to one that fails at renewal.
        await page.GetByTestId("portal").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/_simulator/portal/"));
        var portal = Scan(page.Url, await page.InnerTextAsync("body"));
        Assert.Contains("Pro", portal, StringComparison.Ordinal);
        await page.GetByLabel("Card").SelectOptionAsync(new SelectOptionValue { Label = "Insufficient funds" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Update card" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Card")).ToHaveValueAsync(nameof(CardOutcome.InsufficientFunds));

        await page.GotoAsync("/_simulator/clock");
        await page.GetByRole(AriaRole.Button, new() { Name = "Advance 1 month" }).ClickAsync();
        await BillingJourney.ReloadUntilTextAsync(page, "/billing", "subscription-status", "Past due");
        Scan(page.Url, await page.InnerTextAsync("body"));
    }

    private async Task<string> ScanAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        return Scan(path, await page.InnerTextAsync("body"));
    }

    /// <summary>Fails naming the page and the token when visible text holds an id or an enum name; returns the text.</summary>
    private string Scan(string where, string text)
    {
        foreach (var token in ForbiddenTokens())
        {
            Assert.False(Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(token)}(?![\w-])", RegexOptions.IgnoreCase),
                $"{where} shows the raw '{token}':\n{text}");
        }

        return text;
    }

    /// <summary>
    /// Every catalogue id that cannot pass for a word (has '-' or '_'), every provider price id, and every multi-word
    /// enum name as PascalCase, joined lower case and snake_case ("PastDue", "pastdue", "past_due").
    /// </summary>
    private IEnumerable<string> ForbiddenTokens()
    {
        var catalog = browser.Services.GetRequiredService<PlanCatalog>();
        var ids = catalog.Plans.Values.SelectMany(p => p.Features.Concat(p.Limits.Keys).Append(p.Id))
            .Concat(catalog.Prices.Values.Select(p => p.Id))
            .Where(id => id.Contains('-') || id.Contains('_'))
            .Concat(catalog.Prices.Values.SelectMany(p => p.ProviderPriceIds.Values));
        var enumNames = Enum.GetNames<SubscriptionStatus>().Concat(Enum.GetNames<InvoiceStatus>())
            .Concat(Enum.GetNames<CardOutcome>()).Concat(Enum.GetNames<BillingInterval>())
            .Where(name => name.Count(char.IsUpper) > 1)
            .SelectMany(name => new[] { name, name.ToLowerInvariant(), SnakeCase().Replace(name, "$1_$2").ToLowerInvariant() });
        return ids.Concat(enumNames).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex SnakeCase();
}
