using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monolith.Domain.Billing.Catalog;
using Monolith.Infrastructure.Persistence;
using Npgsql;

namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>
/// Mirrors the configured <see cref="PlanCatalog"/> into <c>products</c>, <c>prices</c> and <c>price_provider_ids</c>.
/// Rows are never deleted: a plan or price gone from configuration is marked inactive. A row is written only when a
/// value differs, so a second run changes nothing. Instances starting at once race on the same keys; the loser of an
/// insert (unique violation) or of a delete (concurrency exception) reloads and runs again.
/// </summary>
internal sealed class CatalogMirror(AppDbContext db, PlanCatalog catalog, TimeProvider clock, ILogger<CatalogMirror> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>Returns the number of rows written (0 when the tables already match configuration).</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = await SyncOnceAsync(cancellationToken);
                logger.LogInformation("Plan catalogue mirrored: {Plans} plan(s), {Prices} price(s), {Written} row(s) written",
                    catalog.Plans.Count, catalog.Prices.Count, written);
                return written;
            }
            catch (DbUpdateException exception) when (attempt < MaxAttempts && IsConcurrentWriter(exception))
            {
                logger.LogInformation("Another instance mirrored the plan catalogue at the same time; reloading (attempt {Attempt})", attempt);
                db.DiscardChanges();
            }
        }
    }

    private async Task<int> SyncOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var products = await db.CatalogProducts.ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);
        var prices = await db.CatalogPrices.Include(p => p.ProviderIds)
            .ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);

        foreach (var plan in catalog.Plans.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var features = JsonSerializer.Serialize(plan.Features.Order(StringComparer.Ordinal));
            var limits = JsonSerializer.Serialize(new SortedDictionary<string, long>(plan.Limits.ToDictionary(), StringComparer.Ordinal));
            if (products.TryGetValue(plan.Id, out var product))
            {
                product.Apply(plan.Name, features, limits, active: true, now);
            }
            else
            {
                db.CatalogProducts.Add(CatalogProduct.Create(plan.Id, plan.Name, features, limits, active: true, now));
            }
        }

        foreach (var product in products.Values.Where(p => !catalog.Plans.ContainsKey(p.Id)))
        {
            product.Deactivate(now);
        }

        foreach (var price in catalog.Prices.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            if (!prices.TryGetValue(price.Id, out var stored))
            {
                stored = CatalogPrice.Create(price.Id, now);
                db.CatalogPrices.Add(stored);
            }

            stored.Apply(price.PlanId, price.Amount.AmountMinor, price.Amount.Currency, IntervalName(price.Interval), price.IsActive,
                price.ProviderPriceIds, now);
        }

        // A removed price keeps its provider ids (old webhooks still name them) unless configuration gave one to another price.
        foreach (var removed in prices.Values.Where(p => !catalog.Prices.ContainsKey(p.Id)))
        {
            removed.Deactivate(now);
            foreach (var providerId in removed.ProviderIds.ToList())
            {
                if (catalog.FindByProviderPriceId(providerId.Provider, providerId.ProviderPriceId).IsSuccess)
                {
                    removed.Release(providerId.Provider, providerId.ProviderPriceId, now);
                }
            }
        }

        return await db.SaveChangesAsync(cancellationToken);
    }

    private bool IsConcurrentWriter(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || db.IsUniqueViolation(exception)
        || exception.InnerException is PostgresException { IsTransient: true };

    internal static string IntervalName(BillingInterval interval) => interval switch
    {
        BillingInterval.Month => "month",
        BillingInterval.Year => "year",
        BillingInterval.OneTime => "one_time",
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown billing interval."),
    };
}
