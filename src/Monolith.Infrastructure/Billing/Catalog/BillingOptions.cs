namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>
/// Section <c>Billing</c>: the plan catalogue and the access policy (schema in docs/catalogue.md). Values inside the
/// lists are bound as text and parsed by <see cref="BillingCatalogBuilder"/>: the configuration binder silently drops a
/// list element whose value does not convert, which would make a mistyped price vanish instead of stopping start-up.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    public List<PlanOptions> Plans { get; } = [];

    public AccessPolicyOptions AccessPolicy { get; } = new();

    public UsageOptions Usage { get; } = new();

    /// <summary>Customer-facing copy of each feature id the plans use (<c>Billing:Features:&lt;id&gt;:Name</c>, …); see <see cref="CatalogCopy"/>.</summary>
    public Dictionary<string, FeatureCopyOptions> Features { get; } = new(StringComparer.Ordinal);
}

/// <summary>One entry of <c>Billing:Features</c>: how a feature id reads on the pages.</summary>
public sealed class FeatureCopyOptions
{
    /// <summary>The name shown for the feature, e.g. "API calls" for <c>api-calls</c>.</summary>
    public string? Name { get; set; }

    /// <summary>An optional sentence shown under the feature on the pricing page.</summary>
    public string? Description { get; set; }
}

/// <summary>Section <c>Billing:Usage</c>: bounds on metered usage (whole numbers; defaults in <c>UsageRules</c>).</summary>
public sealed class UsageOptions
{
    /// <summary>The most one usage event may carry (default 1,000,000,000).</summary>
    public string? MaxQuantityPerEvent { get; set; }

    /// <summary>The most one feature's total may reach in a billing period (default 1,000,000,000,000,000).</summary>
    public string? MaxTotalPerPeriod { get; set; }
}

/// <summary>One entry of <c>Billing:Plans</c>.</summary>
public sealed class PlanOptions
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>An optional sentence shown under the plan's name on the pricing page.</summary>
    public string? Description { get; set; }

    /// <summary>Boolean features the plan grants.</summary>
    public List<string> Features { get; } = [];

    /// <summary>Metered features: feature id → limit per billing period (a whole number).</summary>
    public Dictionary<string, string> Limits { get; } = new(StringComparer.Ordinal);

    /// <summary>'true': an add-on, subscribed to beside the account's one base-plan subscription (default false).</summary>
    public string? AddOn { get; set; }

    /// <summary>'true': a one-time product the account may buy again while it owns it (default false).</summary>
    public string? Repeatable { get; set; }

    public List<PriceOptions> Prices { get; } = [];
}

/// <summary>One entry of <c>Billing:Plans:N:Prices</c>.</summary>
public sealed class PriceOptions
{
    public string? Id { get; set; }

    /// <summary>A whole number of minor units of <see cref="Currency"/> (cents), never a decimal.</summary>
    public string? Amount { get; set; }

    /// <summary>ISO-4217 code, e.g. <c>EUR</c>.</summary>
    public string? Currency { get; set; }

    /// <summary><c>month</c>, <c>year</c> or <c>one_time</c>.</summary>
    public string? Interval { get; set; }

    /// <summary><c>true</c> (default) or <c>false</c>: an inactive price stays known but is not offered.</summary>
    public string? Active { get; set; }

    /// <summary>Provider → that provider's price id, e.g. <c>"stripe": "price_123"</c>.</summary>
    public Dictionary<string, string> ProviderPriceIds { get; } = new(StringComparer.Ordinal);
}

/// <summary>Section <c>Billing:AccessPolicy</c>.</summary>
public sealed class AccessPolicyOptions
{
    /// <summary>How long past_due keeps access, as <c>d.hh:mm:ss</c> (default 7 days).</summary>
    public string? PastDueGracePeriod { get; set; }

    /// <summary>'true': a paused subscription keeps paid access (default false).</summary>
    public string? PausedGrantsAccess { get; set; }
}
