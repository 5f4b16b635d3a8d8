using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Infrastructure.Billing.Catalog;

namespace Monolith.Application.Tests.Billing.Entitlements;

/// <summary>Section <c>Billing</c> binds into the domain catalogue; a wrong setting fails naming the setting.</summary>
public sealed class BillingCatalogConfigurationTests
{
    private static Dictionary<string, string?> GoodSettings() => new()
    {
        ["Billing:AccessPolicy:PastDueGracePeriod"] = "3.00:00:00",
        ["Billing:Plans:0:Id"] = "free",
        ["Billing:Plans:0:Name"] = "Free",
        ["Billing:Plans:0:Features:0"] = "projects",
        ["Billing:Plans:0:Features:1"] = "reports",
        ["Billing:Plans:0:Limits:api-calls"] = "1000",
        ["Billing:Plans:1:Id"] = "pro",
        ["Billing:Plans:1:Name"] = "Pro",
        ["Billing:Plans:1:Features:0"] = "projects",
        ["Billing:Plans:1:Limits:api-calls"] = "100000",
        ["Billing:Plans:1:Prices:0:Id"] = "pro-monthly",
        ["Billing:Plans:1:Prices:0:Amount"] = "1900",
        ["Billing:Plans:1:Prices:0:Currency"] = "eur",
        ["Billing:Plans:1:Prices:0:Interval"] = "month",
        ["Billing:Plans:1:Prices:0:ProviderPriceIds:stripe"] = "price_123",
        ["Billing:Plans:1:Prices:0:ProviderPriceIds:inmemory"] = "sim_price_pro_monthly",
        ["Billing:Plans:1:Prices:1:Id"] = "pro-yearly",
        ["Billing:Plans:1:Prices:1:Amount"] = "19000",
        ["Billing:Plans:1:Prices:1:Currency"] = "EUR",
        ["Billing:Plans:1:Prices:1:Interval"] = "year",
        ["Billing:Plans:1:Prices:1:Active"] = "false",
        ["Billing:Plans:1:Prices:1:ProviderPriceIds:inmemory"] = "sim_price_pro_yearly",
    };

    private static ServiceProvider Services(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddBillingCatalog(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Resolve_WithGoodSettings_BuildsTheCatalogue()
    {
        using var services = Services(GoodSettings());

        var catalog = services.GetRequiredService<PlanCatalog>();
        var policy = services.GetRequiredService<AccessPolicy>();

        Assert.Equal(["free", "pro"], catalog.Plans.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1000, catalog.Plans["free"].Limits["api-calls"]);
        Assert.Contains("reports", catalog.Plans["free"].Features);
        var monthly = catalog.FindByProviderPriceId("stripe", "price_123").Value;
        Assert.Equal("pro-monthly", monthly.Id);
        Assert.Equal("pro", monthly.PlanId);
        Assert.Equal(1900, monthly.Amount.AmountMinor);
        Assert.Equal("EUR", monthly.Amount.Currency);
        Assert.Equal(BillingInterval.Month, monthly.Interval);
        Assert.True(monthly.IsActive);
        Assert.False(catalog.FindPrice("pro-yearly").Value.IsActive);
        Assert.Equal(TimeSpan.FromDays(3), policy.PastDueGracePeriod);
        Assert.Equal(Domain.Billing.Usage.UsageRules.Default, catalog.Usage);
        Assert.Same(catalog, services.GetRequiredService<PlanCatalog>());
    }

    [Fact]
    public void Resolve_WithoutAccessPolicy_UsesTheDefaultGracePeriod()
    {
        var settings = GoodSettings();
        settings.Remove("Billing:AccessPolicy:PastDueGracePeriod");
        using var services = Services(settings);

        Assert.Equal(AccessPolicy.Default.PastDueGracePeriod, services.GetRequiredService<AccessPolicy>().PastDueGracePeriod);
    }

    [Fact]
    public void Resolve_ShippedAppSettings_BuildsTheDemoCatalogue()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot(), "src", "Monolith.Web", "appsettings.json"))
            .Build();
        using var services = new ServiceCollection().AddBillingCatalog(configuration).BuildServiceProvider();

        var catalog = services.GetRequiredService<PlanCatalog>();

        Assert.Equal(["free", "lifetime-report", "priority-support", "pro", "team"], catalog.Plans.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["priority-support"], catalog.Plans.Values.Where(p => p.IsAddOn).Select(p => p.Id));
        Assert.DoesNotContain(catalog.Plans.Values, p => p.IsRepeatable);
        Assert.Equal(
            [BillingInterval.Month, BillingInterval.Year],
            catalog.Prices.Values.Where(p => p.PlanId == "pro").Select(p => p.Interval).Order());
        Assert.Equal(10, catalog.Plans["team"].Limits["seats"]);
        Assert.Equal(BillingInterval.OneTime, catalog.FindPrice("lifetime-report").Value.Interval);
        Assert.Equal("pro-monthly", catalog.FindByProviderPriceId("inmemory", "sim_price_pro_monthly").Value.Id);
        Assert.All(catalog.Prices.Values, p => Assert.NotNull(p.ProviderPriceIdFor("inmemory")));
    }

    [Theory]
    [InlineData("Billing:Plans:0:Id", "Free Plan", "Billing:Plans:0:Id")]
    [InlineData("Billing:Plans:1:AddOn", "yes", "Billing:Plans:1:AddOn")]
    [InlineData("Billing:Plans:0:Repeatable", "1", "Billing:Plans:0:Repeatable")]
    [InlineData("Billing:Plans:0:Name", " ", "Billing:Plans:0:Name")]
    [InlineData("Billing:Plans:0:Features:1", "Bad Feature", "Billing:Plans:0:Features:1")]
    [InlineData("Billing:Plans:0:Features:1", "projects", "Billing:Plans:0:Features:1")]
    [InlineData("Billing:Plans:0:Limits:api-calls", "-1", "Billing:Plans:0:Limits:api-calls")]
    [InlineData("Billing:Plans:0:Limits:projects", "5", "Billing:Plans:0:Limits:projects")]
    [InlineData("Billing:Plans:1:Id", "free", "Billing:Plans:1:Id")]
    [InlineData("Billing:Plans:1:Prices:0:Id", "", "Billing:Plans:1:Prices:0:Id")]
    [InlineData("Billing:Plans:1:Prices:1:Id", "pro-monthly", "Billing:Plans:1:Prices:1:Id")]
    [InlineData("Billing:Plans:1:Prices:0:Amount", "-5", "Billing:Plans:1:Prices:0:Amount")]
    [InlineData("Billing:Plans:1:Prices:0:Amount", "19.00", "Billing:Plans:1:Prices:0:Amount")]
    [InlineData("Billing:Plans:1:Prices:0:Active", "yes", "Billing:Plans:1:Prices:0:Active")]
    [InlineData("Billing:Plans:0:Limits:api-calls", "lots", "Billing:Plans:0:Limits:api-calls")]
    [InlineData("Billing:Plans:1:Prices:0:Currency", "EURO", "Billing:Plans:1:Prices:0:Currency")]
    [InlineData("Billing:Plans:1:Prices:0:Currency", "", "Billing:Plans:1:Prices:0:Currency")]
    [InlineData("Billing:Plans:1:Prices:0:Interval", "weekly", "Billing:Plans:1:Prices:0:Interval")]
    [InlineData("Billing:Plans:1:Prices:0:ProviderPriceIds:stripe", " ", "Billing:Plans:1:Prices:0:ProviderPriceIds:stripe")]
    [InlineData("Billing:Plans:1:Prices:0:ProviderPriceIds:str ipe", "price_9", "Billing:Plans:1:Prices:0:ProviderPriceIds:str ipe")]
    [InlineData("Billing:Plans:1:Prices:1:ProviderPriceIds:inmemory", "sim_price_pro_monthly", "Billing:Plans:1:Prices:1:ProviderPriceIds:inmemory")]
    [InlineData("Billing:AccessPolicy:PastDueGracePeriod", "-1.00:00:00", "Billing:AccessPolicy:PastDueGracePeriod")]
    [InlineData("Billing:AccessPolicy:PastDueGracePeriod", "a week", "Billing:AccessPolicy:PastDueGracePeriod")]
    [InlineData("Billing:AccessPolicy:PausedGrantsAccess", "sometimes", "Billing:AccessPolicy:PausedGrantsAccess")]
    [InlineData("Billing:Usage:MaxQuantityPerEvent", "0", "Billing:Usage:MaxQuantityPerEvent")]
    [InlineData("Billing:Usage:MaxQuantityPerEvent", "many", "Billing:Usage:MaxQuantityPerEvent")]
    [InlineData("Billing:Usage:MaxTotalPerPeriod", "9223372036854775807", "Billing:Usage:MaxTotalPerPeriod")]
    [InlineData("Billing:Usage:MaxTotalPerPeriod", "10", "Billing:Usage:MaxTotalPerPeriod")]
    public void Resolve_WithBadSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        var settings = GoodSettings();
        settings[key] = value;
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<PlanCatalog>());

        Assert.Contains(failure.Failures, f => f.StartsWith(expected + " (env ", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_WithMissingAmount_FailsNamingTheSetting()
    {
        var settings = GoodSettings();
        settings.Remove("Billing:Plans:1:Prices:0:Amount");
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<PlanCatalog>());

        Assert.Contains(failure.Failures, f => f.StartsWith("Billing:Plans:1:Prices:0:Amount (env Billing__Plans__1__Prices__0__Amount)", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_WithNoPlans_FailsNamingTheSection()
    {
        using var services = Services(new Dictionary<string, string?>());

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<PlanCatalog>());

        Assert.Contains(failure.Failures, f => f.StartsWith("Billing:Plans (env Billing__Plans)", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_WithSeveralBadSettings_ReportsEachOne()
    {
        var settings = GoodSettings();
        settings["Billing:Plans:0:Name"] = "";
        settings["Billing:Plans:1:Prices:1:Currency"] = "E1R";

        using var services = Services(settings);
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<PlanCatalog>());

        Assert.Equal(2, failure.Failures.Count());
    }

    [Fact]
    public async Task StartHost_WithBadSetting_StopsStartUpNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        var settings = GoodSettings();
        settings["Billing:Plans:1:Prices:0:Currency"] = "euros";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBillingCatalog(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Billing:Plans:1:Prices:0:Currency", failure.Message, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monolith.sln not found above " + AppContext.BaseDirectory);
    }
}
