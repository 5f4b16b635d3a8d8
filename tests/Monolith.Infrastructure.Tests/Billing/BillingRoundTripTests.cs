using Microsoft.EntityFrameworkCore;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>Each billing aggregate saved and reloaded in a new context has every field, money and child record intact.</summary>
public abstract class BillingRoundTripTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset T0 = BillingSeed.T0;

    [Fact]
    public async Task SaveAccount_WithTwoCustomersAndTrial_ReloadsEqual()
    {
        var account = await BillingSeed.AccountAsync(database);
        await using (var db = database.CreateContext())
        {
            var tracked = await db.BillingAccounts.SingleAsync(a => a.Id == account.Id);
            Assert.True(tracked.LinkCustomer("stripe", "cus_rt", T0.AddMinutes(1)).IsSuccess);
            Assert.True(tracked.LinkCustomer("inmemory", "cus_mem", T0.AddMinutes(2)).IsSuccess);
            Assert.True(tracked.MarkTrialUsed(T0.AddMinutes(3)).IsSuccess);
            await db.SaveChangesAsync();
            account = tracked;
        }

        await using var reload = database.CreateContext();
        var loaded = await reload.BillingAccounts.SingleAsync(a => a.Id == account.Id);
        Assert.Equal(BillingState.Describe(account), BillingState.Describe(loaded));
        Assert.Equal(2, loaded.Customers.Count);
        Assert.True(loaded.HasUsedTrial);
        Assert.Equal(1, loaded.Version);
    }

    [Fact]
    public async Task SaveSubscription_AfterTwoSnapshots_ReloadsEqual()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        var subscription = Subscription.Start(Guid.NewGuid(), account.Id, provider, new SubscriptionSnapshot(
            "sub_rt", SubscriptionStatus.Trialing, "pro-monthly", "pro", 2, T0, T0.AddDays(14), T0.AddDays(14), false, null, null, T0), isAddOn: false, accountSubscriptions: []).Value;
        Assert.Equal(SnapshotApplication.Applied, subscription.ApplySnapshot(new SubscriptionSnapshot(
            "sub_rt", SubscriptionStatus.Active, "team-monthly", "team", 3, T0.AddDays(14), T0.AddDays(44), T0.AddDays(14), true,
            T0.AddDays(20), null, T0.AddDays(20))).Value);

        await SaveThenReloadAsync(subscription, db => db.Subscriptions, BillingState.Describe);
    }

    [Fact]
    public async Task SavePayment_WithCaptureAndTwoRefunds_ReloadsEqualIncludingMoney()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        var payment = Payment.Initiate(Guid.NewGuid(), account.Id, provider, "pi_rt", PaymentKind.OneTime, Eur(5000), null, T0).Value;
        Assert.True(payment.MarkFailed("card_declined", T0.AddMinutes(1)).IsSuccess);
        Assert.True(payment.MarkSucceeded("ch_rt", Eur(5000), T0.AddMinutes(2)).IsSuccess);
        Assert.Equal(RefundRecording.Recorded, payment.RecordRefund("re_1", Eur(1200), "requested_by_customer", T0.AddDays(1)).Value);
        Assert.Equal(RefundRecording.Recorded, payment.RecordRefund("re_2", Eur(800), null, T0.AddDays(2)).Value);

        var loaded = await SaveThenReloadAsync(payment, db => db.Payments, BillingState.Describe);

        Assert.Equal(Eur(5000), loaded.Amount);
        Assert.Equal(Eur(2000), loaded.RefundedAmount);
        Assert.Equal(Eur(3000), loaded.RefundableAmount);
        Assert.Single(loaded.Captures);
        Assert.Equal(2, loaded.Refunds.Count);
    }

    [Fact]
    public async Task SavePayment_RefundAddedLater_AppendsTheChildRow()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        var payment = Payment.Initiate(Guid.NewGuid(), account.Id, provider, "pi_later", PaymentKind.Invoice, Eur(900), "in_x", T0).Value;
        Assert.True(payment.MarkSucceeded("ch_later", Eur(900), T0).IsSuccess);
        await using (var db = database.CreateContext())
        {
            db.Payments.Add(payment);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Payments.SingleAsync(p => p.Id == payment.Id);
            Assert.Equal(RefundRecording.Recorded, tracked.RecordRefund("re_later", Eur(900), "duplicate", T0.AddDays(1)).Value);
            await db.SaveChangesAsync();
        }

        await using var reload = database.CreateContext();
        var loaded = await reload.Payments.SingleAsync(p => p.Id == payment.Id);
        Assert.True(loaded.IsFullyRefunded);
        Assert.Equal("duplicate", Assert.Single(loaded.Refunds).Reason);
        Assert.Equal(1, loaded.Version);
    }

    [Fact]
    public async Task SaveInvoice_PaidAfterFailedAttempts_ReloadsEqualIncludingMoneyAndUrls()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        var invoice = Invoice.Open(
            Guid.NewGuid(), account.Id, provider, "in_rt", "sub_rt", Money.Create(733, "JPY").Value, T0, T0.AddDays(30),
            new Uri("https://pay.example/in_rt"), new Uri("https://pay.example/in_rt.pdf"), T0).Value;
        Assert.True(invoice.RecordFailedAttempt(2, T0.AddDays(1)));
        Assert.True(invoice.MarkPaid(Money.Create(733, "JPY").Value, T0.AddDays(2)).IsSuccess);

        var loaded = await SaveThenReloadAsync(invoice, db => db.Invoices, BillingState.Describe);

        Assert.Equal("JPY", loaded.AmountPaid.Currency);
        Assert.Equal(733, loaded.AmountDue.AmountMinor);
        Assert.Equal(InvoiceStatus.Paid, loaded.Status);
    }

    [Fact]
    public async Task SaveCheckoutSession_Completed_ReloadsEqual()
    {
        var account = await BillingSeed.AccountAsync(database);
        var session = BillingSeed.Session(account.Id, BillingSeed.NewProvider(), "cs_rt", "credits-pack", CheckoutMode.Payment);
        Assert.True(session.Complete("pi_rt", T0.AddMinutes(5)).IsSuccess);

        var loaded = await SaveThenReloadAsync(session, db => db.CheckoutSessions, BillingState.Describe);

        Assert.Equal(CheckoutStatus.Complete, loaded.Status);
    }

    [Fact]
    public async Task SaveWebhookEvent_Failed_ReloadsEqual()
    {
        var webhook = WebhookEvent.Receive(Guid.NewGuid(), BillingSeed.NewProvider(), "evt_rt", "invoice.paid", """{"id":"evt_rt"}""", T0).Value;
        Assert.True(webhook.MarkFailed("boom", T0.AddSeconds(1)).IsSuccess);

        var loaded = await SaveThenReloadAsync(webhook, db => db.WebhookEvents, BillingState.Describe);

        Assert.Equal(WebhookEventStatus.Failed, loaded.Status);
    }

    [Fact]
    public async Task SaveUsageEvent_ReloadsEqual()
    {
        var account = await BillingSeed.AccountAsync(database);
        var usage = UsageEvent.Record(Guid.NewGuid(), account.Id, "api-calls", 1234, "key-rt", T0, T0.AddDays(30), UsageMode.SetTotal, T0.AddHours(1), UsageRules.Default).Value;

        var loaded = await SaveThenReloadAsync(usage, db => db.UsageEvents, BillingState.Describe);

        Assert.Equal(UsageMode.SetTotal, loaded.Mode);
    }

    private static Money Eur(long minor) => Money.Create(minor, "EUR").Value;

    private async Task<T> SaveThenReloadAsync<T>(T aggregate, Func<Monolith.Infrastructure.Persistence.AppDbContext, DbSet<T>> set, Func<T, string> describe)
        where T : AggregateRoot<Guid>
    {
        await using (var db = database.CreateContext())
        {
            set(db).Add(aggregate);
            await db.SaveChangesAsync();
        }

        await using var reload = database.CreateContext();
        var loaded = await set(reload).SingleAsync(a => a.Id == aggregate.Id);
        Assert.NotSame(aggregate, loaded);
        Assert.Equal(describe(aggregate), describe(loaded));
        Assert.Equal(0, loaded.Version);
        return loaded;
    }
}

public sealed class PostgresBillingRoundTripTests(PostgresTestDatabase database)
    : BillingRoundTripTests<PostgresTestDatabase>(database);

public sealed class SqliteBillingRoundTripTests(SqliteTestDatabase database)
    : BillingRoundTripTests<SqliteTestDatabase>(database);
