namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>
/// Read-model row of table <c>products</c>: a plan of the configured catalogue, mirrored for SQL, reports and foreign
/// keys. Never deleted: a plan removed from configuration stays, inactive.
/// </summary>
internal sealed class CatalogProduct
{
    public const int IdMaxLength = 64;

    private CatalogProduct()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string Name { get; private set; } = string.Empty;

    /// <summary>Boolean features as a JSON array, sorted ordinally.</summary>
    public string Features { get; private set; } = "[]";

    /// <summary>Limits per billing period as a JSON object, keys sorted ordinally.</summary>
    public string Limits { get; private set; } = "{}";

    public bool Active { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static CatalogProduct Create(string id, string name, string features, string limits, bool active, DateTimeOffset now) =>
        new() { Id = id, Name = name, Features = features, Limits = limits, Active = active, UpdatedAt = now };

    /// <summary>Applies the configured values; returns false (and touches nothing) when they are already stored.</summary>
    public bool Apply(string name, string features, string limits, bool active, DateTimeOffset now)
    {
        if (Name == name && Features == features && Limits == limits && Active == active)
        {
            return false;
        }

        Name = name;
        Features = features;
        Limits = limits;
        Active = active;
        UpdatedAt = now;
        return true;
    }

    public bool Deactivate(DateTimeOffset now) => Apply(Name, Features, Limits, active: false, now);
}
