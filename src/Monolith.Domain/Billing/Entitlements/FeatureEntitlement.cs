namespace Monolith.Domain.Billing.Entitlements;

/// <summary>
/// The answer for one feature: allowed or not, and either unlimited or a limit per billing period. A boolean
/// feature is unlimited; a limit of zero is not allowed.
/// </summary>
public readonly record struct FeatureEntitlement(bool Allowed, bool Unlimited, long? Limit)
{
    public static FeatureEntitlement Denied => default;

    public static FeatureEntitlement UnlimitedAccess => new(true, true, null);

    public static FeatureEntitlement Limited(long limit) => new(limit > 0, false, limit);

    /// <summary>The more generous of two grants: unlimited beats any limit, a higher limit beats a lower one.</summary>
    public static FeatureEntitlement MostGenerous(FeatureEntitlement left, FeatureEntitlement right)
    {
        if (left.Unlimited || right.Unlimited)
        {
            return UnlimitedAccess;
        }

        if (left.Limit is null)
        {
            return right;
        }

        return right.Limit is null || left.Limit >= right.Limit ? left : right;
    }
}
