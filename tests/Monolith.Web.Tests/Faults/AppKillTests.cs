using Monolith.TestSupport;
using Monolith.TestSupport.Storm;

namespace Monolith.Web.Tests.Faults;

/// <summary>
/// Fault: the app process is SIGKILLed while outbox deliveries are in flight (one-time purchases waiting for their
/// fulfilment handler), then started again on the same port. Every delivery must complete exactly once: one
/// fulfilment and one <c>OneTimePurchaseFulfilled</c> message per payment, one processed marker per message × handler,
/// every delivery succeeded — and the webhooks refused while the app was down are retried by the sender and applied once.
/// </summary>
public sealed class AppKillTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly StripeStorm _storm = StripeStorm.Create(new StormOptions(Accounts: 40, EventsPerAccount: 7, Duplicates: 0.1, Reorder: 0.1, OneTimePayments: 5));
    private Dictionary<string, string> _environment = null!;
    private AppServer _app = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _environment = StormDatabase.AppEnvironment(_database.ConnectionString, $"http://127.0.0.1:{AppServer.FreePort()}");
        // One worker taking one delivery at a time keeps deliveries queued while the storm is still arriving; a short
        // lease lets the restarted app retake what the killed one had claimed.
        _environment["Outbox__Workers__Concurrency"] = "1";
        _environment["Outbox__BatchSize"] = "2";
        _environment["Outbox__BackoffBase"] = "00:00:00.200";
        _environment["Outbox__BackoffCap"] = "00:00:02";
        _environment["Outbox__LeaseDuration"] = "00:00:02";
        _environment["Outbox__PollInterval"] = "00:00:00.200";
        _environment["Outbox__MaxAttempts"] = "100";
        // The mail server is down until the restart (nothing listens on that port): every receipt fails and waits for
        // its retry, so outbox work is certainly outstanding when the app is killed, whatever the machine's speed.
        _environment["Email__Sender"] = "Smtp";
        _environment["Email__Smtp__Host"] = "127.0.0.1";
        _environment["Email__Smtp__Port"] = AppServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _environment["App__PublicBaseUrl"] = "http://app.test";
        _app = await AppServer.StartAsync(_environment);
        await StormDatabase.SeedAsync(_database.ConnectionString, _storm.Accounts);
    }

    [Fact]
    public async Task App_KilledWhileDeliveriesAreInFlight_EveryDeliveryCompletesExactlyOnceAfterRestart()
    {
        using var sender = new StormSender(_app.BaseAddress, StormDatabase.WebhookSecret, concurrency: 4);
        var sending = sender.SendAsync(_storm.Deliveries, TimeSpan.FromMinutes(3));
        var port = _app.BaseAddress.Port;

        await Poll.UntilAsync(
            async () => await StormDatabase.ScalarAsync(_database.ConnectionString, "SELECT count(*) FROM outbox_deliveries WHERE state = 'Succeeded'") > 0,
            TimeSpan.FromMinutes(2), () => $"No delivery succeeded before the kill. App:\n{_app.Tail}");
        await _app.KillAsync();
        var unfinishedAtKill = await StormDatabase.ScalarAsync(_database.ConnectionString,
            "SELECT (SELECT count(*) FROM outbox_deliveries WHERE state <> 'Succeeded') + (SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL)" +
            " + (SELECT count(*) FROM billing_webhook_events WHERE status = 'Received')");
        await _app.DisposeAsync();
        _environment["Email__Sender"] = "Pickup"; // mail is back after the restart
        _environment["Email__Pickup__Directory"] = Path.Combine(Path.GetTempPath(), $"monolith-mail-{Guid.NewGuid():N}");
        _app = await AppServer.StartAsync(_environment, port);

        var run = await sending;

        Assert.True(unfinishedAtKill > 0, "The kill must interrupt work that was still to be done (received webhooks to apply, outbox deliveries).");
        Assert.Equal(_storm.Deliveries.Count, run.Delivered);
        Assert.True(await StormDatabase.WaitForOutboxAsync(_database.ConnectionString, TimeSpan.FromMinutes(2)),
            $"The outbox did not drain after the restart: {await StormDatabase.OutboxSummaryAsync(_database.ConnectionString)}. App:\n{_app.Tail}");
        var violations = await StormDatabase.VerifyAsync(_database.ConnectionString, _storm);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.Equal(_storm.Accounts.Sum(a => a.OneTimePaymentIds.Count), await StormDatabase.ScalarAsync(_database.ConnectionString,
            "SELECT count(*) FROM outbox_processed WHERE handler = 'billing.fulfil-one-time-purchase'"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
