using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Checkout.CreateCheckoutSession;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Reconciliation.ListDriftReports;
using Monolith.Application.Billing.Reconciliation.ReconcileAccount;
using Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Dunning;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Jobs;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.Jobs;

/// <summary>A clock the test moves forward (the simulator's time moves with it, as it is built on the same TimeProvider).</summary>
internal sealed class OffsetClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>
/// The recurring jobs' runs (as Hangfire would run them) on real PostgreSQL and SQLite, with the simulator as the
/// provider and its webhooks dropped on purpose (chaos: every delivery attempt fails, one attempt only).
/// </summary>
public abstract class ScheduledJobsTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private const string Card = "4242 4242 4242 4242";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly OffsetClock _clock = new();
    private ApplicationHost _host = null!;

    private SimulatorState Simulator => _host.Services.GetRequiredService<SimulatorState>();
    private SimulatorWebhookDispatcher Dispatcher => _host.Services.GetRequiredService<SimulatorWebhookDispatcher>();

    public async Task InitializeAsync()
    {
        _host = new ApplicationHost(database, services => services.AddSingleton<TimeProvider>(_clock), new Dictionary<string, string?>
        {
            ["Payments:InMemory:WebhookBaseUrl"] = "http://127.0.0.1:9",
            ["Payments:InMemory:MaxDeliveryAttempts"] = "1",
            ["Payments:InMemory:Chaos:FailFirstDeliveries"] = "1000000",
            ["Jobs:Reconciliation:MinAge"] = "00:00:00",
            ["Jobs:Dunning:Interval"] = "1.00:00:00",
        });
        await Dispatcher.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Reconciliation_SubscriptionWhoseWebhooksWereDropped_IsHealedAndReported()
    {
        var (organizationId, checkout) = await PaidCheckoutWithDroppedWebhooksAsync();
        var accountId = await _host.QueryDbAsync(db => db.BillingAccounts.Where(a => a.OrganizationId == organizationId).Select(a => a.Id).SingleAsync());
        Assert.Equal(0, await _host.QueryDbAsync(db => db.Subscriptions.CountAsync(s => s.BillingAccountId == accountId)));

        var outcome = await Job<ReconciliationJob>().RunAsync(CancellationToken.None);

        var view = Simulator.FindCheckout(checkout.ProviderSessionId)!;
        Assert.Equal("complete", view.Status);
        var session = await _host.QueryDbAsync(db => db.CheckoutSessions.AsNoTracking().SingleAsync(s => s.Id == checkout.CheckoutSessionId));
        Assert.Equal(CheckoutStatus.Complete, session.Status);
        var subscription = await _host.QueryDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.ProviderSubscriptionId == session.ProviderResultId));
        Assert.Equal(session.BillingAccountId, subscription.BillingAccountId);
        Assert.True(subscription.Status is SubscriptionStatus.Active or SubscriptionStatus.Trialing, subscription.Status.ToString());
        Assert.Contains("1 changed", outcome, StringComparison.Ordinal);

        var reports = await _host.SendAsync(new ListDriftReportsQuery(session.BillingAccountId), Guid.NewGuid(), ops: true);
        Assert.Contains(reports.Value, r => r.ObjectKind == "CheckoutSession" && r.ProviderObjectId == checkout.ProviderSessionId
                                            && r.Before.Contains("status=Open", StringComparison.Ordinal)
                                            && r.After.Contains("status=Complete", StringComparison.Ordinal));
        Assert.Contains(reports.Value, r => r.ObjectKind == "Subscription" && r.ProviderObjectId == subscription.ProviderSubscriptionId
                                            && r.Before == "absent" && r.After.Contains("status=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciliation_RunTwice_SecondRunChangesNothing()
    {
        await PaidCheckoutWithDroppedWebhooksAsync();
        await Job<ReconciliationJob>().RunAsync(CancellationToken.None);
        var reports = await _host.QueryDbAsync(db => db.DriftReports.CountAsync());
        var outbox = await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync());
        var versions = await _host.QueryDbAsync(db => db.Subscriptions.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Version).ToListAsync());

        var second = await Job<ReconciliationJob>().RunAsync(CancellationToken.None);

        Assert.Contains(" 0 changed", second, StringComparison.Ordinal);
        Assert.Equal(reports, await _host.QueryDbAsync(db => db.DriftReports.CountAsync()));
        Assert.Equal(outbox, await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(versions, await _host.QueryDbAsync(db => db.Subscriptions.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Version).ToListAsync()));
    }

    [Fact]
    public async Task ReconcileAccount_ForOneOrganisation_HealsItAndRequiresOps()
    {
        var (organizationId, checkout) = await PaidCheckoutWithDroppedWebhooksAsync();

        var refused = await _host.SendAsync(new ReconcileAccountCommand(organizationId), Guid.NewGuid(), ops: false);
        var result = await _host.SendAsync(new ReconcileAccountCommand(organizationId), Guid.NewGuid(), ops: true);

        Assert.Equal("auth.ops_required", refused.Error?.Code);
        Assert.Equal(2, result.Value.DriftReportIds.Count);
        var session = await _host.QueryDbAsync(db => db.CheckoutSessions.AsNoTracking().SingleAsync(s => s.Id == checkout.CheckoutSessionId));
        Assert.Equal(CheckoutStatus.Complete, session.Status);
    }

    [Fact]
    public async Task CheckoutExpiry_UnpaidSessionPastExpiry_IsExpiredOnceAndAPaidOneIsCompleted()
    {
        var unpaidOwner = await _host.RegisterAsync();
        var unpaid = (await _host.SendAsync(Checkout(unpaidOwner.PersonalOrganizationId), unpaidOwner.UserId)).Value;
        var (_, paid) = await PaidCheckoutWithDroppedWebhooksAsync();
        var job = Job<CheckoutExpiryJob>();

        var early = await job.RunAsync(CancellationToken.None);
        _clock.Offset = SimulatorState.CheckoutLifetime + TimeSpan.FromHours(1);
        await job.RunAsync(CancellationToken.None);
        var outbox = await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync());
        var again = await job.RunAsync(CancellationToken.None);

        Assert.StartsWith("0 due", early, StringComparison.Ordinal);
        Assert.Equal(CheckoutStatus.Expired, await StatusAsync(unpaid.CheckoutSessionId));
        Assert.Equal(CheckoutStatus.Complete, await StatusAsync(paid.CheckoutSessionId));
        Assert.StartsWith("0 due", again, StringComparison.Ordinal);
        Assert.Equal(outbox, await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task InboxRetry_ParkedEventWhoseCustomerWasLinkedLater_IsApplied()
    {
        var owner = await _host.RegisterAsync();
        var accountId = await _host.QueryDbAsync(async db =>
        {
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, _clock.GetUtcNow()).Value;
            db.BillingAccounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        var customerId = $"cus_{Guid.NewGuid():N}";
        var paymentId = $"pi_{Guid.NewGuid():N}";
        var eventId = $"evt_{Guid.NewGuid():N}";
        var received = await _host.SendAsync(StoredWebhook(eventId, customerId, paymentId));
        Assert.Equal(WebhookEventStatus.Parked, received.Value.Status);
        var job = Job<InboxRetryJob>();

        var stillParked = await job.RunAsync(CancellationToken.None);
        Assert.Contains("1 not applied", stillParked, StringComparison.Ordinal);
        Assert.Equal(WebhookEventStatus.Parked, await InboxStatusAsync(eventId));

        // The checkout flow links a customer directly (no webhook), so nothing releases the parked event.
        await _host.QueryDbAsync(async db =>
        {
            var account = await db.BillingAccounts.SingleAsync(a => a.Id == accountId);
            Assert.True(account.LinkCustomer("inmemory", customerId, _clock.GetUtcNow()).IsSuccess);
            return await db.SaveChangesAsync();
        });
        var retried = await job.RunAsync(CancellationToken.None);
        var afterwards = await job.RunAsync(CancellationToken.None);

        Assert.Contains("1 changed", retried, StringComparison.Ordinal);
        Assert.Equal(WebhookEventStatus.Applied, await InboxStatusAsync(eventId));
        var payment = await _host.QueryDbAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.ProviderPaymentId == paymentId));
        Assert.Equal(accountId, payment.BillingAccountId);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(0, await _host.QueryDbAsync(db => db.PendingProviderEvents.CountAsync(p => p.ProviderEventId == eventId)));
        Assert.StartsWith("0 due", afterwards, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dunning_PastDueSubscription_RaisesOneReminderPerInterval()
    {
        var owner = await _host.RegisterAsync();
        var accountId = await _host.QueryDbAsync(async db =>
        {
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, _clock.GetUtcNow()).Value;
            db.BillingAccounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        var subscriptionId = $"sub_{Guid.NewGuid():N}";
        var now = _clock.GetUtcNow();
        var pastDue = new SubscriptionChanged("inmemory", $"evt_{Guid.NewGuid():N}", now, $"cus_{Guid.NewGuid():N}", accountId,
            new SubscriptionSnapshot(subscriptionId, SubscriptionStatus.PastDue, "pro-monthly", "pro", 1, now.AddDays(-1), now.AddDays(29), null, false, null, null, now));
        Assert.Equal(WebhookEventStatus.Applied, (await _host.SendAsync(new HandlePaymentWebhookCommand("inmemory",
            new ParsedWebhook($"evt_{Guid.NewGuid():N}", "customer.subscription.updated", now, [pastDue]), "{}"))).Value.Status);
        var job = Job<DunningReminderJob>();

        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);
        _clock.Offset = TimeSpan.FromHours(23);
        await job.RunAsync(CancellationToken.None);
        var withinInterval = await RemindersAsync(subscriptionId);
        _clock.Offset = TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);
        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        Assert.Equal([1], withinInterval);
        Assert.Equal([1, 2], await RemindersAsync(subscriptionId));
        var events = await _host.QueryDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.Type == nameof(DunningReminderDue) && m.Payload.Contains(accountId.ToString())).CountAsync());
        Assert.Equal(2, events);
    }

    [Fact]
    public async Task Reconciliation_OneTimePurchaseWhoseWebhooksWereDropped_RecordsTheCapturedPayment()
    {
        var (_, checkout) = await PaidCheckoutWithDroppedWebhooksAsync("lifetime-report");

        await Job<ReconciliationJob>().RunAsync(CancellationToken.None);

        var session = await _host.QueryDbAsync(db => db.CheckoutSessions.AsNoTracking().SingleAsync(s => s.Id == checkout.CheckoutSessionId));
        Assert.Equal(CheckoutStatus.Complete, session.Status);
        var payment = await _host.QueryDbAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.ProviderPaymentId == session.ProviderResultId));
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(session.BillingAccountId, payment.BillingAccountId);
        var reports = await _host.SendAsync(new ListDriftReportsQuery(session.BillingAccountId), Guid.NewGuid(), ops: true);
        Assert.Contains(reports.Value, r => r.ObjectKind == "Payment" && r.Before == "absent" && r.After.StartsWith("status=Succeeded", StringComparison.Ordinal));
    }

    private async Task<(Guid OrganizationId, CreateCheckoutSessionResult Checkout)> PaidCheckoutWithDroppedWebhooksAsync(string priceId = "pro-monthly")
    {
        var owner = await _host.RegisterAsync();
        var checkout = (await _host.SendAsync(Checkout(owner.PersonalOrganizationId, priceId), owner.UserId)).Value;
        var attempt = Simulator.SubmitCard(checkout.ProviderSessionId, Card);
        Assert.Equal(CheckoutAttemptOutcome.Completed, attempt.Outcome);

        // Wait until the simulator has tried (and, by the chaos switch, failed) to deliver this checkout's completion.
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (!Dispatcher.RecentDeliveries.Any(d => d.EventType == "checkout.session.completed" && !d.Delivered
                                                     && Simulator.FindCheckout(checkout.ProviderSessionId)!.Status == "complete"
                                                     && d.Outcome.StartsWith("chaos", StringComparison.Ordinal)))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The simulator never attempted the webhook.");
            await Task.Delay(20);
        }

        return (owner.PersonalOrganizationId, checkout);
    }

    private static CreateCheckoutSessionCommand Checkout(Guid organizationId, string priceId = "pro-monthly") => new(
        organizationId, priceId, 1, new Uri(ApplicationHost.Origin, "/billing/success").ToString(),
        new Uri(ApplicationHost.Origin, "/billing/canceled").ToString());

    private HandlePaymentWebhookCommand StoredWebhook(string eventId, string customerId, string paymentId)
    {
        var occurred = DateTimeOffset.UtcNow;
        var body = $$"""
            {"id":"{{eventId}}","type":"payment_intent.succeeded","created":{{occurred.ToUnixTimeSeconds()}},
             "data":{"occurred_at":"{{occurred:O}}","object":{"id":"{{paymentId}}","customer":"{{customerId}}","account_id":null,
             "kind":"one_time","invoice":null,"amount":9900,"currency":"EUR","status":"succeeded","charge":"ch_{{paymentId}}",
             "captured":9900,"failure_code":null} } }
            """;
        var parsed = new SimulatorEventNormalizer(_host.Services.GetRequiredService<Domain.Billing.Catalog.PlanCatalog>()).Normalize(Encoding.UTF8.GetBytes(body));
        Assert.True(parsed.IsSuccess, parsed.Error?.Code);
        return new HandlePaymentWebhookCommand("inmemory", parsed.Value, body);
    }

    private Task<CheckoutStatus> StatusAsync(Guid checkoutSessionId) =>
        _host.QueryDbAsync(db => db.CheckoutSessions.AsNoTracking().Where(s => s.Id == checkoutSessionId).Select(s => s.Status).SingleAsync());

    private Task<WebhookEventStatus> InboxStatusAsync(string eventId) =>
        _host.QueryDbAsync(db => db.WebhookEvents.AsNoTracking().Where(e => e.ProviderEventId == eventId).Select(e => e.Status).SingleAsync());

    private Task<List<int>> RemindersAsync(string providerSubscriptionId) => _host.QueryDbAsync(db => db.DunningReminders.AsNoTracking()
        .Where(r => db.Subscriptions.Any(s => s.Id == r.SubscriptionId && s.ProviderSubscriptionId == providerSubscriptionId))
        .OrderBy(r => r.Number).Select(r => r.Number).ToListAsync());

    private T Job<T>() where T : class => ActivatorUtilities.CreateInstance<T>(_host.Services);
}

public sealed class PostgresScheduledJobsTests(PostgresTestDatabase database) : ScheduledJobsTests<PostgresTestDatabase>(database);

public sealed class SqliteScheduledJobsTests(SqliteTestDatabase database) : ScheduledJobsTests<SqliteTestDatabase>(database);
