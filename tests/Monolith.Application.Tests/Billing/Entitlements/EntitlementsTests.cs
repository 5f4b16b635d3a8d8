using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Tests.Billing.Entitlements;

public sealed class EntitlementsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Account = Guid.Parse("6a1f1d36-2c35-4a0a-9d1c-0d3c1c0f5a01");

    private readonly ManualTime _time = new(T0.AddDays(2));
    private readonly FakeReader _reader = new();
    private readonly ServiceProvider _services;
    private readonly IServiceScope _scope;

    public EntitlementsTests()
    {
        var free = Plan.Create("free", "Free", ["projects"], new Dictionary<string, long> { ["api-calls"] = 1000 }).Value;
        var pro = Plan.Create("pro", "Pro", ["projects", "reports"], new Dictionary<string, long> { ["api-calls"] = 100_000, ["exports"] = 0 }).Value;
        var catalog = PlanCatalog.Create([free, pro], []).Value;

        _services = new ServiceCollection()
            .AddSingleton(catalog)
            .AddSingleton(AccessPolicy.Default)
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<ISubscriptionAccessReader>(_reader)
            .AddBillingEntitlements()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _scope = _services.CreateScope();
    }

    private IEntitlements Entitlements => _scope.ServiceProvider.GetRequiredService<IEntitlements>();

    private EntitlementCache Cache => _services.GetRequiredService<EntitlementCache>();

    public void Dispose()
    {
        _scope.Dispose();
        _services.Dispose();
    }

    private static SubscriptionAccess Subscription(string plan, SubscriptionStatus status = SubscriptionStatus.Active) =>
        new(plan, status, CancelAtPeriodEnd: false, T0, T0.AddMonths(1));

    [Fact]
    public async Task Check_BooleanFeatureOfActivePlan_IsAllowedAndUnlimited()
    {
        _reader.Set(Account, Subscription("pro"));

        var check = await Entitlements.CheckAsync(Account, "reports");

        Assert.Equal(new EntitlementCheck(Allowed: true, Unlimited: true, Limit: null), check);
    }

    [Fact]
    public async Task Check_MeteredFeature_IsAllowedWithItsLimit()
    {
        _reader.Set(Account, Subscription("pro"));

        var check = await Entitlements.CheckAsync(Account, "api-calls");

        Assert.Equal(new EntitlementCheck(Allowed: true, Unlimited: false, Limit: 100_000), check);
    }

    [Fact]
    public async Task Check_MeteredFeatureWithZeroLimit_IsNotAllowed()
    {
        _reader.Set(Account, Subscription("pro"));

        var check = await Entitlements.CheckAsync(Account, "exports");

        Assert.Equal(new EntitlementCheck(Allowed: false, Unlimited: false, Limit: 0), check);
    }

    [Fact]
    public async Task Check_SeveralGrantingPlans_TakesTheMostGenerousLimit()
    {
        _reader.Set(Account, Subscription("free"), Subscription("pro"));

        var check = await Entitlements.CheckAsync(Account, "api-calls");

        Assert.Equal(100_000, check.Limit);
    }

    [Theory]
    [InlineData("unknown-feature")]
    [InlineData("")]
    [InlineData("REPORTS")]
    public async Task Check_UnknownFeature_IsNotAllowed(string feature)
    {
        _reader.Set(Account, Subscription("pro"));

        var check = await Entitlements.CheckAsync(Account, feature);

        Assert.Equal(EntitlementCheck.Denied, check);
        Assert.False(check.Allowed);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Canceled)]
    [InlineData(SubscriptionStatus.Incomplete)]
    public async Task Check_SubscriptionThatDoesNotGrant_IsNotAllowed(SubscriptionStatus status)
    {
        _reader.Set(Account, Subscription("pro", status));

        Assert.False((await Entitlements.CheckAsync(Account, "reports")).Allowed);
    }

    [Fact]
    public async Task Check_AccountWithoutSubscriptions_IsNotAllowed()
    {
        Assert.Equal(EntitlementCheck.Denied, await Entitlements.CheckAsync(Guid.NewGuid(), "projects"));
    }

    [Fact]
    public async Task Check_Miss_LoadsOnceThenServesFromTheCache()
    {
        _reader.Set(Account, Subscription("pro"));

        await Entitlements.CheckAsync(Account, "reports");
        var second = Entitlements.CheckAsync(Account, "api-calls");
        _reader.Set(Account);
        var third = Entitlements.CheckAsync(Account, "reports");

        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(third.IsCompletedSuccessfully);
        Assert.True((await third).Allowed);
        Assert.Equal(1, _reader.Loads);
        Assert.True(Cache.TryGet(Account, out _));
    }

    [Fact]
    public async Task Check_AfterInvalidate_ReloadsTheAccount()
    {
        _reader.Set(Account, Subscription("pro"));
        Assert.True((await Entitlements.CheckAsync(Account, "reports")).Allowed);

        _reader.Set(Account, Subscription("free"));
        Cache.Invalidate(Account);
        var check = await Entitlements.CheckAsync(Account, "reports");

        Assert.False(check.Allowed);
        Assert.Equal(2, _reader.Loads);
    }

    [Fact]
    public async Task Check_AfterSet_ServesTheNewSnapshotWithoutLoading()
    {
        var catalog = _services.GetRequiredService<PlanCatalog>();
        Cache.Set(Account, EntitlementSnapshot.Evaluate([Subscription("free")], catalog.Plans, AccessPolicy.Default, _time.GetUtcNow()));

        var check = await Entitlements.CheckAsync(Account, "api-calls");

        Assert.Equal(1000, check.Limit);
        Assert.Equal(0, _reader.Loads);
    }

    [Fact]
    public async Task Check_InvalidatedWhileLoading_DoesNotCacheTheOlderLoad()
    {
        _reader.Set(Account, Subscription("pro"));
        _reader.DuringLoad = () => Cache.Invalidate(Account);

        Assert.True((await Entitlements.CheckAsync(Account, "reports")).Allowed);

        Assert.False(Cache.TryGet(Account, out _));
        _reader.DuringLoad = null;
        await Entitlements.CheckAsync(Account, "reports");
        Assert.Equal(2, _reader.Loads);
        Assert.True(Cache.TryGet(Account, out _));
    }

    [Fact]
    public async Task Check_WhenPastDueGraceRunsOut_ReloadsAndDenies()
    {
        _reader.Set(Account, Subscription("pro", SubscriptionStatus.PastDue));
        Assert.True((await Entitlements.CheckAsync(Account, "reports")).Allowed);

        _time.Now = T0 + AccessPolicy.Default.PastDueGracePeriod;
        var check = await Entitlements.CheckAsync(Account, "reports");

        Assert.False(check.Allowed);
        Assert.Equal(2, _reader.Loads);
    }

    [Fact]
    public async Task Check_Cached_AllocatesNothing()
    {
        _reader.Set(Account, Subscription("pro"));
        var entitlements = Entitlements;
        await entitlements.CheckAsync(Account, "reports");
        var allowed = 0;
        for (var i = 0; i < 100; i++)
        {
            allowed += Run(entitlements);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            allowed += Run(entitlements);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(20_200, allowed);

        static int Run(IEntitlements entitlements)
        {
            var boolean = entitlements.CheckAsync(Account, "reports");
            var metered = entitlements.CheckAsync(Account, "api-calls");
            return (boolean.Result.Allowed ? 1 : 0) + (metered.Result.Limit > 0 ? 1 : 0);
        }
    }

    private sealed class FakeReader : ISubscriptionAccessReader
    {
        private readonly Dictionary<Guid, IReadOnlyList<SubscriptionAccess>> _byAccount = [];

        public int Loads { get; private set; }

        public Action? DuringLoad { get; set; }

        public void Set(Guid account, params SubscriptionAccess[] subscriptions) => _byAccount[account] = subscriptions;

        public async ValueTask<IReadOnlyList<SubscriptionAccess>> ListAsync(Guid billingAccountId, CancellationToken cancellationToken)
        {
            Loads++;
            await Task.Yield();
            DuringLoad?.Invoke();
            return _byAccount.TryGetValue(billingAccountId, out var list) ? list : [];
        }
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
