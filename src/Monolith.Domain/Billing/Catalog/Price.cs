using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Catalog;

/// <summary>
/// What a plan costs per interval. Carries the provider's price id per provider ("stripe" → "price_123").
/// </summary>
public sealed class Price
{
    private Price(string id, string planId, Money amount, BillingInterval interval, FrozenDictionary<string, string> providerPriceIds, bool active)
    {
        Id = id;
        PlanId = planId;
        Amount = amount;
        Interval = interval;
        ProviderPriceIds = providerPriceIds;
        IsActive = active;
    }

    public string Id { get; }
    public string PlanId { get; }
    public Money Amount { get; }
    public BillingInterval Interval { get; }
    public IReadOnlyDictionary<string, string> ProviderPriceIds { get; }
    public bool IsActive { get; }
    public bool IsRecurring => Interval != BillingInterval.OneTime;

    public static Result<Price> Create(
        string? id,
        string? planId,
        Money amount,
        BillingInterval interval,
        IReadOnlyDictionary<string, string> providerPriceIds,
        bool active)
    {
        ArgumentNullException.ThrowIfNull(providerPriceIds);

        var priceId = Plan.ValidateSlug(id, CatalogErrors.PriceIdInvalid);
        if (priceId.IsFailure)
        {
            return priceId.Error;
        }

        var plan = Plan.ValidateSlug(planId, CatalogErrors.PlanIdInvalid);
        if (plan.IsFailure)
        {
            return plan.Error;
        }

        if (amount.IsNegative)
        {
            return CatalogErrors.AmountNegative;
        }

        if (!Enum.IsDefined(interval))
        {
            return Error.Validation("billing.catalog.interval_invalid", "Unknown billing interval.");
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (provider, providerPriceId) in providerPriceIds)
        {
            var normalized = BillingProvider.Normalize(provider);
            if (normalized.IsFailure)
            {
                return normalized.Error;
            }

            var value = BillingIds.Require(providerPriceId, CatalogErrors.ProviderPriceIdInvalid);
            if (value.IsFailure)
            {
                return value.Error;
            }

            if (!ids.TryAdd(normalized.Value, value.Value))
            {
                return CatalogErrors.DuplicateProviderPrice;
            }
        }

        return new Price(priceId.Value, plan.Value, amount, interval, ids.ToFrozenDictionary(StringComparer.Ordinal), active);
    }

    public string? ProviderPriceIdFor(string provider) =>
        ProviderPriceIds.TryGetValue(provider, out var id) ? id : null;
}
