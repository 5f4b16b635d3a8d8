using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>
/// How the catalogue reads to a customer: feature names and descriptions (<c>Billing:Features</c>) and plan
/// descriptions (<c>Billing:Plans:N:Description</c>). Ids are for code and configuration, never copy: a feature without
/// a configured name reads as its id in words ("api-calls" → "Api calls"), so no page shows a raw id (docs/catalogue.md).
/// </summary>
public sealed class CatalogCopy
{
    private readonly FrozenDictionary<string, FeatureCopyOptions> _features;
    private readonly FrozenDictionary<string, string> _planDescriptions;

    public CatalogCopy(IOptions<BillingOptions> options)
    {
        var billing = options.Value;
        _features = billing.Features.ToFrozenDictionary(StringComparer.Ordinal);
        _planDescriptions = billing.Plans
            .Where(p => p.Id is not null && !string.IsNullOrWhiteSpace(p.Description))
            .GroupBy(p => p.Id!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First().Description!.Trim(), StringComparer.Ordinal);
    }

    public string FeatureName(string featureId) =>
        _features.TryGetValue(featureId, out var copy) && !string.IsNullOrWhiteSpace(copy.Name) ? copy.Name.Trim() : Words(featureId);

    public string? FeatureDescription(string featureId) =>
        _features.TryGetValue(featureId, out var copy) && !string.IsNullOrWhiteSpace(copy.Description) ? copy.Description.Trim() : null;

    public string? PlanDescription(string planId) => _planDescriptions.GetValueOrDefault(planId);

    /// <summary>"api-calls" / "api_calls" → "Api calls".</summary>
    public static string Words(string id)
    {
        var spaced = id.Replace('-', ' ').Replace('_', ' ').Trim();
        return spaced.Length == 0 ? id : char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }
}
