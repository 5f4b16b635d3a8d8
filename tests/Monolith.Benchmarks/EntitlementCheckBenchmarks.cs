using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Benchmarks;

/// <summary>
/// A cached entitlement check (boolean and metered feature) against a plain <see cref="ConcurrentDictionary{TKey,TValue}"/>
/// lookup keyed by account id, the floor any per-account cache pays.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EntitlementCheckBenchmarks
{
    private readonly ConcurrentDictionary<Guid, int> _baseline = new();
    private ServiceProvider _services = null!;
    private IServiceScope _scope = null!;
    private IEntitlements _entitlements = null!;
    private Guid _account;

    [GlobalSetup]
    public void Setup()
    {
        var team = Plan.Create("team", "Team", ["projects", "reports", "export", "sso"],
            new Dictionary<string, long> { ["api-calls"] = 1_000_000, ["seats"] = 10 }).Value;
        var catalog = PlanCatalog.Create([team], []).Value;

        _services = new ServiceCollection()
            .AddSingleton(catalog)
            .AddSingleton(AccessPolicy.Default)
            .AddSingleton<ISubscriptionAccessReader, OneTeamSubscription>()
            .AddBillingEntitlements()
            .BuildServiceProvider();
        _scope = _services.CreateScope();
        _entitlements = _scope.ServiceProvider.GetRequiredService<IEntitlements>();

        // 10,000 accounts cached, like a busy instance; the measured one is among them.
        for (var i = 0; i < 10_000; i++)
        {
            var account = Guid.NewGuid();
            _baseline[account] = i;
            _ = _entitlements.CheckAsync(account, "reports").AsTask().GetAwaiter().GetResult();
            _account = account;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int ConcurrentDictionaryTryGetValue() => _baseline.TryGetValue(_account, out var value) ? value : -1;

    [Benchmark]
    public bool CachedCheckBooleanFeature()
    {
        var check = _entitlements.CheckAsync(_account, "reports");
        return check.IsCompletedSuccessfully ? check.Result.Allowed : throw Missed();
    }

    [Benchmark]
    public long CachedCheckMeteredFeature()
    {
        var check = _entitlements.CheckAsync(_account, "api-calls");
        return check.IsCompletedSuccessfully ? check.Result.Limit ?? 0 : throw Missed();
    }

    private static InvalidOperationException Missed() => new("The check missed the cache.");

    private sealed class OneTeamSubscription : ISubscriptionAccessReader
    {
        private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public ValueTask<IReadOnlyList<SubscriptionAccess>> ListAsync(Guid billingAccountId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<SubscriptionAccess>>(
                [new SubscriptionAccess("team", SubscriptionStatus.Active, CancelAtPeriodEnd: false, Start, Start.AddMonths(1))]);
    }
}
