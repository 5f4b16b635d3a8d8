using System.Collections.Frozen;
using Monolith.Domain.Billing.Catalog;

namespace Monolith.Domain.Billing.Entitlements;

/// <summary>
/// An immutable, precomputed view of what one account may use, meant to be cached per account. Checks are
/// dictionary lookups that allocate nothing. The snapshot is correct until <see cref="ValidUntil"/> (a grace
/// period or a scheduled cancellation running out) or until the account's subscriptions change.
/// </summary>
public sealed class EntitlementSnapshot
{
    private readonly FrozenDictionary<string, FeatureEntitlement> _features;
    private readonly FrozenDictionary<string, FeatureEntitlement>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private EntitlementSnapshot(FrozenDictionary<string, FeatureEntitlement> features, DateTimeOffset evaluatedAt, DateTimeOffset? validUntil)
    {
        _features = features;
        _bySpan = features.GetAlternateLookup<ReadOnlySpan<char>>();
        EvaluatedAt = evaluatedAt;
        ValidUntil = validUntil;
    }

    public DateTimeOffset EvaluatedAt { get; }

    /// <summary>When a time-limited grant runs out; null when nothing expires by the clock alone.</summary>
    public DateTimeOffset? ValidUntil { get; }

    public IReadOnlyDictionary<string, FeatureEntitlement> Features => _features;

    public FeatureEntitlement Check(string featureId) =>
        _features.TryGetValue(featureId, out var entitlement) ? entitlement : FeatureEntitlement.Denied;

    public FeatureEntitlement Check(ReadOnlySpan<char> featureId) =>
        _bySpan.TryGetValue(featureId, out var entitlement) ? entitlement : FeatureEntitlement.Denied;

    public bool IsStale(DateTimeOffset now) => ValidUntil is { } until && now >= until;

    /// <summary>
    /// Evaluates the policy over an account's subscriptions: each granting subscription contributes its plan's
    /// features, and where several plans grant a feature the most generous limit wins.
    /// </summary>
    public static EntitlementSnapshot Evaluate(
        IEnumerable<SubscriptionAccess> subscriptions,
        IReadOnlyDictionary<string, Plan> plans,
        AccessPolicy policy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(policy);

        var features = new Dictionary<string, FeatureEntitlement>(StringComparer.Ordinal);
        DateTimeOffset? validUntil = null;
        foreach (var subscription in subscriptions)
        {
            if (!policy.Grants(subscription, now, out var until) || !plans.TryGetValue(subscription.PlanId, out var plan))
            {
                continue;
            }

            if (until is { } u && (validUntil is null || u < validUntil))
            {
                validUntil = u;
            }

            foreach (var feature in plan.Features)
            {
                Merge(features, feature, FeatureEntitlement.UnlimitedAccess);
            }

            foreach (var (feature, limit) in plan.Limits)
            {
                Merge(features, feature, FeatureEntitlement.Limited(limit));
            }
        }

        return new EntitlementSnapshot(features.ToFrozenDictionary(StringComparer.Ordinal), now, validUntil);
    }

    private static void Merge(Dictionary<string, FeatureEntitlement> features, string feature, FeatureEntitlement grant) =>
        features[feature] = features.TryGetValue(feature, out var existing) ? FeatureEntitlement.MostGenerous(existing, grant) : grant;
}
