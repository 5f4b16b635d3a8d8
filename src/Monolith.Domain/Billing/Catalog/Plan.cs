using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Catalog;

/// <summary>
/// A plan of the catalogue: boolean features (granted or not) and numeric limits per billing period.
/// A feature id appears either as a boolean feature or as a limit, never both.
/// </summary>
public sealed class Plan
{
    private Plan(string id, string name, FrozenSet<string> features, FrozenDictionary<string, long> limits, bool isAddOn, bool isRepeatable)
    {
        Id = id;
        Name = name;
        Features = features;
        Limits = limits;
        IsAddOn = isAddOn;
        IsRepeatable = isRepeatable;
    }

    public string Id { get; }
    public string Name { get; }
    public IReadOnlySet<string> Features { get; }
    public IReadOnlyDictionary<string, long> Limits { get; }

    /// <summary>
    /// An add-on may be subscribed to beside the account's one base-plan subscription. Every other recurring plan is a
    /// base plan: an account has at most one live base-plan subscription (docs/billing.md).
    /// </summary>
    public bool IsAddOn { get; }

    /// <summary>A one-time product the account may buy again although it already owns it.</summary>
    public bool IsRepeatable { get; }

    public static Result<Plan> Create(
        string? id,
        string? name,
        IEnumerable<string> features,
        IReadOnlyDictionary<string, long> limitsPerPeriod,
        bool isAddOn = false,
        bool isRepeatable = false)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(limitsPerPeriod);

        var planId = ValidateSlug(id, CatalogErrors.PlanIdInvalid);
        if (planId.IsFailure)
        {
            return planId.Error;
        }

        var trimmedName = name?.Trim() ?? string.Empty;
        if (trimmedName.Length == 0)
        {
            return CatalogErrors.PlanNameRequired;
        }

        var featureSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            var featureId = ValidateSlug(feature, CatalogErrors.FeatureIdInvalid);
            if (featureId.IsFailure)
            {
                return featureId.Error;
            }

            if (!featureSet.Add(featureId.Value))
            {
                return CatalogErrors.FeatureDeclaredTwice;
            }
        }

        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (feature, limit) in limitsPerPeriod)
        {
            var featureId = ValidateSlug(feature, CatalogErrors.FeatureIdInvalid);
            if (featureId.IsFailure)
            {
                return featureId.Error;
            }

            if (limit < 0)
            {
                return CatalogErrors.LimitNegative;
            }

            if (featureSet.Contains(featureId.Value) || !limits.TryAdd(featureId.Value, limit))
            {
                return CatalogErrors.FeatureDeclaredTwice;
            }
        }

        return new Plan(planId.Value, trimmedName, featureSet.ToFrozenSet(StringComparer.Ordinal), limits.ToFrozenDictionary(StringComparer.Ordinal), isAddOn, isRepeatable);
    }

    internal static Result<string> ValidateSlug(string? value, Error whenInvalid)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        return BillingIds.IsSlug(trimmed) ? trimmed : whenInvalid;
    }
}
