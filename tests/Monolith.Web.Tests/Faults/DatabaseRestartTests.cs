using Monolith.TestSupport.Storm;

namespace Monolith.Web.Tests.Faults;

/// <summary>
/// Fault: the database server dies (<c>pg_ctl stop -m immediate</c>, no checkpoint, connections cut) in the middle of
/// a webhook storm and comes back. The app runs as its own process on a PostgreSQL cluster of this test's own (never
/// the shared test server). The storm's sender retries every non-2xx like Stripe; afterwards every account must be in
/// the state its history gives in order, with nothing lost and nothing applied or delivered twice.
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private readonly StripeStorm _storm = StripeStorm.Create(new StormOptions(Accounts: 30, EventsPerAccount: 8, Duplicates: 0.2, Reorder: 0.2, OneTimePayments: 2));
    private ThrowawayPostgres _postgres = null!;
    private AppServer _app = null!;
    private string _connectionString = string.Empty;
    private string _appConnectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _postgres = await ThrowawayPostgres.StartAsync();
        await _postgres.CreateDatabaseAsync("faults");
        _appConnectionString = _postgres.ConnectionString("faults", maxPoolSize: 10);
        // This process's own connections are unpooled: a pooled one would be a dead socket after the restart.
        _connectionString = _appConnectionString + ";Pooling=false";
        _app = await AppServer.StartAsync(StormDatabase.AppEnvironment(_appConnectionString, $"http://127.0.0.1:{AppServer.FreePort()}"));
        await StormDatabase.SeedAsync(_connectionString, _storm.Accounts);
    }

    [Fact]
    public async Task Storm_DatabaseStopsAndRestartsMidway_EveryAccountConvergesAndNothingIsDoubled()
    {
        using var sender = new StormSender(_app.BaseAddress, StormDatabase.WebhookSecret, concurrency: 4);
        var sending = sender.SendAsync(_storm.Deliveries, TimeSpan.FromMinutes(3));

        await Poll.UntilAsync(() => sender.Delivered >= _storm.Deliveries.Count / 3, TimeSpan.FromMinutes(2),
            () => $"Only {sender.Delivered} deliveries acknowledged before the outage. App:\n{_app.Tail}");
        await _postgres.StopImmediateAsync();
        var acknowledgedAtStop = sender.Delivered;
        var failuresAtStop = sender.Failures;
        // The outage is seen by the provider: requests fail (500 from the app) and are being retried.
        await Poll.UntilAsync(() => sender.Failures >= failuresAtStop + 8, TimeSpan.FromMinutes(1),
            () => $"The sender saw no failures while the database was down. App:\n{_app.Tail}");
        await _postgres.StartServerAsync();

        var run = await sending;

        Assert.True(acknowledgedAtStop < _storm.Deliveries.Count, "The database must stop before the storm ends.");
        Assert.Equal(_storm.Deliveries.Count, run.Delivered);
        Assert.True(run.Rejected + run.Unreachable >= 8, "Deliveries during the outage must have been refused and retried.");
        Assert.True(await StormDatabase.WaitForOutboxAsync(_connectionString, TimeSpan.FromMinutes(2)),
            $"The outbox did not drain after the restart: {await StormDatabase.OutboxSummaryAsync(_connectionString)}. App:\n{_app.Tail}");
        var violations = await StormDatabase.VerifyAsync(_connectionString, _storm);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.False(_app.HasExited, "The app must survive the database outage.");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
