using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;

namespace Monolith.Domain.Tests.Billing;

public sealed class PlanCatalogTests
{
    private static readonly Money TwentyUsd = Money.Create(2000, "USD").Value;

    [Fact]
    public void Plan_FeatureAsBooleanAndLimit_FailsValidation()
    {
        var result = Plan.Create("pro", "Pro", ["api-calls"], new Dictionary<string, long> { ["api-calls"] = 5 });

        Assert.Equal(CatalogErrors.FeatureDeclaredTwice, result.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Pro")]
    [InlineData("pro plan")]
    [InlineData("-pro")]
    public void Plan_InvalidId_FailsValidation(string id)
    {
        Assert.Equal(CatalogErrors.PlanIdInvalid, Plan.Create(id, "Pro", [], new Dictionary<string, long>()).Error);
    }

    [Fact]
    public void Price_NegativeAmount_FailsValidation()
    {
        var result = Price.Create("pro-monthly", "pro", Money.Create(-1, "USD").Value, BillingInterval.Month, new Dictionary<string, string>(), true);

        Assert.Equal(CatalogErrors.AmountNegative, result.Error);
    }

    [Fact]
    public void Catalog_FindByProviderPriceId_ReturnsCataloguePrice()
    {
        var catalog = Catalog(PriceFor("pro-monthly", "price_123"));

        Assert.Equal("pro-monthly", catalog.Value.FindByProviderPriceId("stripe", "price_123").Value.Id);
        Assert.Equal(CatalogErrors.PriceNotFound, catalog.Value.FindByProviderPriceId("stripe", "price_999").Error);
    }

    [Fact]
    public void Catalog_TwoPricesShareProviderPriceId_FailsValidation()
    {
        Assert.Equal(CatalogErrors.DuplicateProviderPrice, Catalog(PriceFor("pro-monthly", "price_1"), PriceFor("pro-yearly", "price_1")).Error);
    }

    [Fact]
    public void Catalog_PriceOfUnknownPlan_FailsValidation()
    {
        var orphan = Price.Create("x", "ghost", TwentyUsd, BillingInterval.Month, new Dictionary<string, string>(), true).Value;

        Assert.Equal(CatalogErrors.PriceOfUnknownPlan, Catalog(orphan).Error);
    }

    private static Price PriceFor(string id, string stripeId) =>
        Price.Create(id, "pro", TwentyUsd, BillingInterval.Month, new Dictionary<string, string> { ["stripe"] = stripeId }, true).Value;

    private static Result<PlanCatalog> Catalog(params Price[] prices) =>
        PlanCatalog.Create([Plan.Create("pro", "Pro", ["sso"], new Dictionary<string, long>()).Value], prices);
}
