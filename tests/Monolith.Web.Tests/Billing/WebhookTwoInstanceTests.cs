using Monolith.TestSupport;
using Monolith.TestSupport.Storm;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// Two app processes on one PostgreSQL, each receiving half of a Stripe storm (duplicates and out-of-order deliveries
/// included, so the same event can reach both at once) while both background appliers take received events with
/// skip-locked claims in small batches. Every account must end in the state its history gives, every event applied
/// once, every outbox delivery completed once (docs/billing.md, "Webhooks").
/// </summary>
public sealed class WebhookTwoInstanceTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly StripeStorm _storm = StripeStorm.Create(new StormOptions(Accounts: 30, EventsPerAccount: 8, Duplicates: 0.25, Reorder: 0.2, OneTimePayments: 3));
    private AppServer _first = null!;
    private AppServer _second = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var environment = StormDatabase.AppEnvironment(_database.ConnectionString, $"http://127.0.0.1:{AppServer.FreePort()}");
        // Small batches: the two instances' appliers take turns on the queue many times during the storm.
        environment["Webhooks__Applier__BatchSize"] = "4";
        _first = await AppServer.StartAsync(environment);
        _second = await AppServer.StartAsync(environment);
        await StormDatabase.SeedAsync(_database.ConnectionString, _storm.Accounts);
    }

    [Fact]
    public async Task Storm_SplitAcrossTwoInstances_IsAppliedExactlyOnceAndConverges()
    {
        var toFirst = _storm.Deliveries.Where((_, i) => i % 2 == 0).ToList();
        var toSecond = _storm.Deliveries.Where((_, i) => i % 2 == 1).ToList();
        using var first = new StormSender(_first.BaseAddress, StormDatabase.WebhookSecret, concurrency: 4);
        using var second = new StormSender(_second.BaseAddress, StormDatabase.WebhookSecret, concurrency: 4);

        var runs = await Task.WhenAll(first.SendAsync(toFirst, TimeSpan.FromMinutes(3)), second.SendAsync(toSecond, TimeSpan.FromMinutes(3)));

        Assert.Equal(toFirst.Count, runs[0].Delivered);
        Assert.Equal(toSecond.Count, runs[1].Delivered);
        Assert.True(await StormDatabase.WaitForOutboxAsync(_database.ConnectionString, TimeSpan.FromMinutes(2)),
            $"Not settled: {await StormDatabase.OutboxSummaryAsync(_database.ConnectionString)}.\nFirst:\n{_first.Tail}\nSecond:\n{_second.Tail}");
        var violations = await StormDatabase.VerifyAsync(_database.ConnectionString, _storm);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }
}
