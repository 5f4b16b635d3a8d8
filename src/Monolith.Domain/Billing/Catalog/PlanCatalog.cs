using System.Collections.Frozen;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Catalog;

/// <summary>The whole catalogue, validated as a unit: unique ids, every price belongs to a known plan.</summary>
public sealed class PlanCatalog
{
    private readonly FrozenDictionary<string, Plan> _plans;
    private readonly FrozenDictionary<string, Price> _prices;
    private readonly FrozenDictionary<(string Provider, string ProviderPriceId), Price> _byProviderPriceId;

    private PlanCatalog(
        FrozenDictionary<string, Plan> plans,
        FrozenDictionary<string, Price> prices,
        FrozenDictionary<(string, string), Price> byProviderPriceId,
        UsageRules usage)
    {
        Usage = usage;
        _plans = plans;
        _prices = prices;
        _byProviderPriceId = byProviderPriceId;
    }

    public IReadOnlyDictionary<string, Plan> Plans => _plans;
    public IReadOnlyDictionary<string, Price> Prices => _prices;

    /// <summary>Bounds on metered usage (per event, per period total); <see cref="UsageRules.Default"/> unless configured.</summary>
    public UsageRules Usage { get; }

    public static Result<PlanCatalog> Create(IEnumerable<Plan> plans, IEnumerable<Price> prices, UsageRules? usage = null)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(prices);

        var planById = new Dictionary<string, Plan>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (!planById.TryAdd(plan.Id, plan))
            {
                return CatalogErrors.DuplicatePlan;
            }
        }

        var priceById = new Dictionary<string, Price>(StringComparer.Ordinal);
        var byProvider = new Dictionary<(string, string), Price>();
        foreach (var price in prices)
        {
            if (!planById.ContainsKey(price.PlanId))
            {
                return CatalogErrors.PriceOfUnknownPlan;
            }

            if (!priceById.TryAdd(price.Id, price))
            {
                return CatalogErrors.DuplicatePrice;
            }

            foreach (var (provider, providerPriceId) in price.ProviderPriceIds)
            {
                if (!byProvider.TryAdd((provider, providerPriceId), price))
                {
                    return CatalogErrors.DuplicateProviderPrice;
                }
            }
        }

        return new PlanCatalog(
            planById.ToFrozenDictionary(StringComparer.Ordinal),
            priceById.ToFrozenDictionary(StringComparer.Ordinal),
            byProvider.ToFrozenDictionary(),
            usage ?? UsageRules.Default);
    }

    public Result<Plan> FindPlan(string planId) =>
        _plans.TryGetValue(planId, out var plan) ? plan : CatalogErrors.PlanNotFound;

    public Result<Price> FindPrice(string priceId) =>
        _prices.TryGetValue(priceId, out var price) ? price : CatalogErrors.PriceNotFound;

    /// <summary>Maps a provider's price id (from a webhook) back to the catalogue price.</summary>
    public Result<Price> FindByProviderPriceId(string provider, string providerPriceId) =>
        _byProviderPriceId.TryGetValue((provider, providerPriceId), out var price) ? price : CatalogErrors.PriceNotFound;
}
