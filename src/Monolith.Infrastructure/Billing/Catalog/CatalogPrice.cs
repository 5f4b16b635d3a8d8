namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>
/// Read-model row of table <c>prices</c> with its provider price ids (<c>price_provider_ids</c>). Never deleted: old
/// subscriptions and invoices refer to it; a price removed from configuration stays, inactive.
/// </summary>
internal sealed class CatalogPrice
{
    public const int IdMaxLength = 64;
    public const int IntervalMaxLength = 16;

    private readonly List<CatalogPriceProviderId> _providerIds = [];

    private CatalogPrice()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string ProductId { get; private set; } = string.Empty;
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = string.Empty;

    /// <summary><c>month</c>, <c>year</c> or <c>one_time</c>, as written in configuration.</summary>
    public string Interval { get; private set; } = string.Empty;

    public bool Active { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyCollection<CatalogPriceProviderId> ProviderIds => _providerIds;

    public static CatalogPrice Create(string id, DateTimeOffset now) => new() { Id = id, UpdatedAt = now };

    /// <summary>
    /// Applies the configured values and makes the provider ids exactly <paramref name="providerIds"/>; returns false
    /// (and touches nothing) when all of it is already stored.
    /// </summary>
    public bool Apply(
        string productId,
        long amountMinor,
        string currency,
        string interval,
        bool active,
        IReadOnlyDictionary<string, string> providerIds,
        DateTimeOffset now)
    {
        var changed = false;
        if (ProductId != productId || AmountMinor != amountMinor || Currency != currency || Interval != interval || Active != active)
        {
            ProductId = productId;
            AmountMinor = amountMinor;
            Currency = currency;
            Interval = interval;
            Active = active;
            changed = true;
        }

        changed |= _providerIds.RemoveAll(p => !providerIds.ContainsKey(p.Provider)) > 0;
        foreach (var (provider, providerPriceId) in providerIds.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var stored = _providerIds.Find(p => p.Provider == provider);
            if (stored is null)
            {
                _providerIds.Add(new CatalogPriceProviderId(Id, provider, providerPriceId));
                changed = true;
            }
            else if (stored.ProviderPriceId != providerPriceId)
            {
                stored.Change(providerPriceId);
                changed = true;
            }
        }

        if (changed)
        {
            UpdatedAt = now;
        }

        return changed;
    }

    public bool Deactivate(DateTimeOffset now)
    {
        if (!Active)
        {
            return false;
        }

        Active = false;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Gives up a provider price id that configuration now assigns to another price.</summary>
    public bool Release(string provider, string providerPriceId, DateTimeOffset now)
    {
        if (_providerIds.RemoveAll(p => p.Provider == provider && p.ProviderPriceId == providerPriceId) == 0)
        {
            return false;
        }

        UpdatedAt = now;
        return true;
    }
}

/// <summary>Row of table <c>price_provider_ids</c>: one provider's id for a catalogue price.</summary>
internal sealed class CatalogPriceProviderId
{
    public CatalogPriceProviderId(string priceId, string provider, string providerPriceId)
    {
        PriceId = priceId;
        Provider = provider;
        ProviderPriceId = providerPriceId;
    }

    public string PriceId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderPriceId { get; private set; }

    public void Change(string providerPriceId) => ProviderPriceId = providerPriceId;
}
