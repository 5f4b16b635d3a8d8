using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Catalog;

/// <summary>
/// A plan of the catalogue: boolean features (granted or not) and numeric limits per billing period.
/// A feature id appears either as a boolean feature or as a limit, never both.
/// </summary>
public sealed class Plan
{
    private Plan(string id, string name, FrozenSet<string> features, FrozenDictionary<string, long> limits)
    {
        Id = id;
        Name = name;
        Features = features;
        Limits = limits;
    }

    public string Id { get; }
    public string Name { get; }
    public IReadOnlySet<string> Features { get; }
    public IReadOnlyDictionary<string, long> Limits { get; }

    public static Result<Plan> Create(
        string? id,
        string? name,
        IEnumerable<string> features,
        IReadOnlyDictionary<string, long> limitsPerPeriod)
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

        return new Plan(planId.Value, trimmedName, featureSet.ToFrozenSet(StringComparer.Ordinal), limits.ToFrozenDictionary(StringComparer.Ordinal));
    }

    internal static Result<string> ValidateSlug(string? value, Error whenInvalid)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        return BillingIds.IsSlug(trimmed) ? trimmed : whenInvalid;
    }
}
