using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>
/// The configured catalogue mirrored into products / prices / price_provider_ids. The database is shared by the class,
/// so every test uses ids of its own (a sync marks every other test's rows inactive, which is what it should do).
/// </summary>
public abstract class CatalogMirrorTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected TDatabase Database { get; } = database;

    [Fact]
    public async Task Sync_FirstRun_WritesEveryPlanPriceAndProviderId()
    {
        var ids = new Ids();
        var catalog = Catalog(ids, proMonthly: 1900);

        Assert.True(await SyncAsync(catalog, T0) > 0);

        await using var db = Database.CreateContext();
        var products = await db.CatalogProducts.Where(p => p.Id.StartsWith(ids.Prefix)).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([ids.Free, ids.Pro], products.Select(p => p.Id));
        var pro = products.Single(p => p.Id == ids.Pro);
        Assert.Equal("Pro", pro.Name);
        Assert.Equal("""["export","projects"]""", pro.Features);
        Assert.Equal("""{"api-calls":100000,"seats":5}""", pro.Limits);
        Assert.All(products, p => Assert.True(p.Active));
        Assert.All(products, p => Assert.Equal(T0, p.UpdatedAt));

        var prices = await db.CatalogPrices.Include(p => p.ProviderIds).Where(p => p.Id.StartsWith(ids.Prefix)).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([ids.FreeMonthly, ids.ProMonthly, ids.ProYearly], prices.Select(p => p.Id));
        var monthly = prices.Single(p => p.Id == ids.ProMonthly);
        Assert.Equal((ids.Pro, 1900L, "EUR", "month", true), (monthly.ProductId, monthly.AmountMinor, monthly.Currency, monthly.Interval, monthly.Active));
        Assert.Equal(
            [("inmemory", $"sim_{ids.ProMonthly}"), ("stripe", $"price_{ids.ProMonthly}")],
            monthly.ProviderIds.OrderBy(p => p.Provider).Select(p => (p.Provider, p.ProviderPriceId)));
        var yearly = prices.Single(p => p.Id == ids.ProYearly);
        Assert.Equal(("year", true), (yearly.Interval, yearly.Active));
        Assert.Equal(5, await db.CatalogPriceProviderIds.CountAsync(p => p.PriceId.StartsWith(ids.Prefix)));
    }

    [Fact]
    public async Task Sync_SecondRunWithSameCatalogue_ChangesNothing()
    {
        var ids = new Ids();
        var catalog = Catalog(ids, proMonthly: 1900);
        await SyncAsync(catalog, T0);

        Assert.Equal(0, await SyncAsync(catalog, T0.AddHours(1)));

        await using var db = Database.CreateContext();
        Assert.All(await db.CatalogProducts.Where(p => p.Id.StartsWith(ids.Prefix)).ToListAsync(), p => Assert.Equal(T0, p.UpdatedAt));
        Assert.All(await db.CatalogPrices.Where(p => p.Id.StartsWith(ids.Prefix)).ToListAsync(), p => Assert.Equal(T0, p.UpdatedAt));
    }

    [Fact]
    public async Task Sync_PriceRemovedAmountChangedAndProviderIdReplaced_UpdatesOnlyThoseRows()
    {
        var ids = new Ids();
        await SyncAsync(Catalog(ids, proMonthly: 1900), T0);
        var t1 = T0.AddDays(1);

        var changed = Catalog(ids, proMonthly: 2500, withYearly: false, stripeMonthly: $"price_{ids.ProMonthly}_v2");
        Assert.True(await SyncAsync(changed, t1) > 0);

        await using var db = Database.CreateContext();
        var prices = await db.CatalogPrices.Include(p => p.ProviderIds).Where(p => p.Id.StartsWith(ids.Prefix)).ToDictionaryAsync(p => p.Id);
        Assert.Equal(3, prices.Count);

        var yearly = prices[ids.ProYearly];
        Assert.False(yearly.Active);
        Assert.Equal(t1, yearly.UpdatedAt);
        Assert.Equal(19000, yearly.AmountMinor);
        Assert.Equal(2, yearly.ProviderIds.Count);

        var monthly = prices[ids.ProMonthly];
        Assert.Equal((2500L, true, t1), (monthly.AmountMinor, monthly.Active, monthly.UpdatedAt));
        Assert.Equal(
            [("inmemory", $"sim_{ids.ProMonthly}"), ("stripe", $"price_{ids.ProMonthly}_v2")],
            monthly.ProviderIds.OrderBy(p => p.Provider).Select(p => (p.Provider, p.ProviderPriceId)));

        Assert.Equal(T0, prices[ids.FreeMonthly].UpdatedAt);
        Assert.All(await db.CatalogProducts.Where(p => p.Id.StartsWith(ids.Prefix)).ToListAsync(), p => Assert.Equal(T0, p.UpdatedAt));
    }

    [Fact]
    public async Task Sync_PlanRemoved_MarksPlanAndItsPricesInactiveWithoutDeleting()
    {
        var ids = new Ids();
        await SyncAsync(Catalog(ids, proMonthly: 1900), T0);
        var t1 = T0.AddDays(1);

        await SyncAsync(Catalog(ids, proMonthly: 1900, withPro: false), t1);

        await using var db = Database.CreateContext();
        var pro = await db.CatalogProducts.SingleAsync(p => p.Id == ids.Pro);
        Assert.Equal((false, t1), (pro.Active, pro.UpdatedAt));
        Assert.True((await db.CatalogProducts.SingleAsync(p => p.Id == ids.Free)).Active);
        var proPrices = await db.CatalogPrices.Where(p => p.ProductId == ids.Pro).ToListAsync();
        Assert.Equal(2, proPrices.Count);
        Assert.All(proPrices, p => Assert.False(p.Active));
    }

    [Fact]
    public async Task Sync_RemovedPriceProviderIdGivenToAnotherPrice_MovesTheProviderId()
    {
        var ids = new Ids();
        await SyncAsync(Catalog(ids, proMonthly: 1900), T0);

        // pro-yearly leaves the catalogue and pro-monthly takes over its stripe price id.
        await SyncAsync(Catalog(ids, proMonthly: 1900, withYearly: false, stripeMonthly: $"price_{ids.ProYearly}"), T0.AddDays(1));

        await using var db = Database.CreateContext();
        var owner = await db.CatalogPriceProviderIds.SingleAsync(p => p.Provider == "stripe" && p.ProviderPriceId == $"price_{ids.ProYearly}");
        Assert.Equal(ids.ProMonthly, owner.PriceId);
        Assert.Equal(
            [("inmemory", $"sim_{ids.ProYearly}")],
            await db.CatalogPriceProviderIds.Where(p => p.PriceId == ids.ProYearly).Select(p => new ValueTuple<string, string>(p.Provider, p.ProviderPriceId)).ToListAsync());
        Assert.False((await db.CatalogPrices.SingleAsync(p => p.Id == ids.ProYearly)).Active);
    }

    [Fact]
    public async Task Sync_RemovedPriceComesBack_IsActiveAgain()
    {
        var ids = new Ids();
        await SyncAsync(Catalog(ids, proMonthly: 1900), T0);
        await SyncAsync(Catalog(ids, proMonthly: 1900, withPro: false), T0.AddDays(1));

        await SyncAsync(Catalog(ids, proMonthly: 1900), T0.AddDays(2));

        await using var db = Database.CreateContext();
        Assert.True((await db.CatalogProducts.SingleAsync(p => p.Id == ids.Pro)).Active);
        Assert.True((await db.CatalogPrices.SingleAsync(p => p.Id == ids.ProMonthly)).Active);
    }

    protected async Task<int> SyncAsync(PlanCatalog catalog, DateTimeOffset now)
    {
        var clock = new ManualTime(now);
        await using var db = Database.CreateContext(clock);
        return await new CatalogMirror(db, catalog, clock, NullLogger<CatalogMirror>.Instance).SyncAsync(CancellationToken.None);
    }

    /// <summary>
    /// free (free-monthly 0 EUR) and pro (pro-monthly, pro-yearly 190.00 EUR); each price has an inmemory id,
    /// the pro prices a stripe id too.
    /// </summary>
    protected static PlanCatalog Catalog(Ids ids, long proMonthly, bool withYearly = true, bool withPro = true, string? stripeMonthly = null)
    {
        var plans = new List<Plan> { Plan.Create(ids.Free, "Free", ["projects"], new Dictionary<string, long> { ["api-calls"] = 1000 }).Value };
        var prices = new List<Price> { NewPrice(ids.FreeMonthly, ids.Free, 0, BillingInterval.Month, true, null) };
        if (withPro)
        {
            plans.Add(Plan.Create(ids.Pro, "Pro", ["projects", "export"], new Dictionary<string, long> { ["seats"] = 5, ["api-calls"] = 100_000 }).Value);
            prices.Add(NewPrice(ids.ProMonthly, ids.Pro, proMonthly, BillingInterval.Month, true, stripeMonthly ?? $"price_{ids.ProMonthly}"));
            if (withYearly)
            {
                prices.Add(NewPrice(ids.ProYearly, ids.Pro, 19000, BillingInterval.Year, true, $"price_{ids.ProYearly}"));
            }
        }

        return PlanCatalog.Create(plans, prices).Value;
    }

    private static Price NewPrice(string id, string planId, long amount, BillingInterval interval, bool active, string? stripe)
    {
        var providerIds = new Dictionary<string, string> { ["inmemory"] = $"sim_{id}" };
        if (stripe is not null)
        {
            providerIds["stripe"] = stripe;
        }

        return Price.Create(id, planId, Money.Create(amount, "EUR").Value, interval, providerIds, active).Value;
    }

    protected sealed class Ids
    {
        public string Prefix { get; } = $"t{Guid.NewGuid():N}"[..12];
        public string Free => $"{Prefix}-free";
        public string Pro => $"{Prefix}-pro";
        public string FreeMonthly => $"{Prefix}-free-monthly";
        public string ProMonthly => $"{Prefix}-pro-monthly";
        public string ProYearly => $"{Prefix}-pro-yearly";
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class PostgresCatalogMirrorTests(PostgresTestDatabase database)
    : CatalogMirrorTests<PostgresTestDatabase>(database)
{
    [Fact]
    public async Task Sync_TwoInstancesAtOnce_LeaveExactlyOneRowPerPrice()
    {
        for (var round = 0; round < 5; round++)
        {
            var ids = new Ids();
            var catalog = Catalog(ids, proMonthly: 1900);
            var now = T0.AddMinutes(round);

            await Task.WhenAll(Task.Run(() => SyncAsync(catalog, now)), Task.Run(() => SyncAsync(catalog, now)));

            await using var db = Database.CreateContext();
            var rows = await db.CatalogPrices.Where(p => p.Id.StartsWith(ids.Prefix)).GroupBy(p => p.Id).Select(g => g.Count()).ToListAsync();
            Assert.Equal([1, 1, 1], rows);
            Assert.Equal(2, await db.CatalogProducts.CountAsync(p => p.Id.StartsWith(ids.Prefix)));
            Assert.Equal(5, await db.CatalogPriceProviderIds.CountAsync(p => p.PriceId.StartsWith(ids.Prefix)));
            Assert.Equal(0, await SyncAsync(catalog, now.AddSeconds(30)));
        }
    }
}

public sealed class SqliteCatalogMirrorTests(SqliteTestDatabase database)
    : CatalogMirrorTests<SqliteTestDatabase>(database);
