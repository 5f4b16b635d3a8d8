using Microsoft.EntityFrameworkCore;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>
/// The billing invariants the database enforces with unique indexes: a second row with the same key fails on
/// SaveChanges with a unique violation, whatever the application code checked before.
/// </summary>
public abstract class BillingUniqueInvariantsTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset T0 = BillingSeed.T0;

    [Fact]
    public async Task SaveWebhookEvent_SameProviderEventIdTwice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        await SaveAsync(db => db.WebhookEvents.Add(WebhookEvent.Receive(Guid.NewGuid(), provider, "evt_1", "invoice.paid", "{}", T0).Value));
        await SaveAsync(db => db.WebhookEvents.Add(WebhookEvent.Receive(Guid.NewGuid(), provider, "evt_2", "invoice.paid", "{}", T0).Value));

        await AssertRejectedAsync(db => db.WebhookEvents.Add(WebhookEvent.Receive(Guid.NewGuid(), provider, "evt_1", "invoice.paid", "{}", T0).Value));
    }

    [Fact]
    public async Task SaveUsageEvent_SameAccountAndIdempotencyKeyTwice_IsRejected()
    {
        var account = await BillingSeed.AccountAsync(database);
        var other = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.UsageEvents.Add(Usage(account.Id, "key-1")));
        await SaveAsync(db => db.UsageEvents.Add(Usage(other.Id, "key-1")));

        await AssertRejectedAsync(db => db.UsageEvents.Add(Usage(account.Id, "key-1")));
    }

    [Fact]
    public async Task LinkCustomer_SecondCustomerForSameAccountAndProvider_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);

        // A second writer read the account before the first linked a customer, then got past the version check.
        await using var late = database.CreateContext();
        var stale = await late.BillingAccounts.SingleAsync(a => a.Id == account.Id);
        await using (var first = database.CreateContext())
        {
            var fresh = await first.BillingAccounts.SingleAsync(a => a.Id == account.Id);
            Assert.True(fresh.LinkCustomer(provider, "cus_1", T0).IsSuccess);
            await first.SaveChangesAsync();
        }

        await late.Entry(stale).ReloadAsync();
        Assert.Empty(stale.Customers);
        Assert.True(stale.LinkCustomer(provider, "cus_2", T0).IsSuccess);

        await AssertUniqueViolationAsync(late);
    }

    [Fact]
    public async Task LinkCustomer_SameCustomerToTwoAccounts_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var first = await BillingSeed.AccountAsync(database);
        var second = await BillingSeed.AccountAsync(database);
        await SaveAsync(async db => (await db.BillingAccounts.SingleAsync(a => a.Id == first.Id)).LinkCustomer(provider, "cus_shared", T0));

        await AssertRejectedAsync(async db => (await db.BillingAccounts.SingleAsync(a => a.Id == second.Id)).LinkCustomer(provider, "cus_shared", T0));
    }

    [Fact]
    public async Task OpenCheckoutSession_SecondOpenSessionForSameAccountAndPrice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_1", "pro-monthly", CheckoutMode.Subscription)));
        await SaveAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_2", "basic-monthly", CheckoutMode.Subscription)));

        await AssertRejectedAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_3", "pro-monthly", CheckoutMode.Subscription)));
    }

    [Fact]
    public async Task OpenCheckoutSession_AfterTheOpenOneExpiredAndAnotherCompleted_IsAccepted()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        var expired = BillingSeed.Session(account.Id, provider, "cs_1", "pro-monthly", CheckoutMode.Subscription);
        Assert.True(expired.Expire(T0.AddHours(1)).IsSuccess);
        var completed = BillingSeed.Session(account.Id, provider, "cs_2", "pro-monthly", CheckoutMode.Subscription);
        Assert.True(completed.Complete("sub_1", T0.AddHours(2)).IsSuccess);
        await SaveAsync(db => db.CheckoutSessions.AddRange(expired, completed));

        await SaveAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_3", "pro-monthly", CheckoutMode.Subscription)));

        await using var check = database.CreateContext();
        Assert.Equal(3, await check.CheckoutSessions.CountAsync(s => s.BillingAccountId == account.Id && s.PriceId == "pro-monthly"));
        Assert.Equal(1, await check.CheckoutSessions.CountAsync(s => s.BillingAccountId == account.Id && s.Status == CheckoutStatus.Open));
    }

    [Fact]
    public async Task SaveCheckoutSession_SameProviderSessionIdTwice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_1", "pro-monthly", CheckoutMode.Subscription)));

        await AssertRejectedAsync(db => db.CheckoutSessions.Add(BillingSeed.Session(account.Id, provider, "cs_1", "credits-pack", CheckoutMode.Payment)));
    }

    [Fact]
    public async Task SaveSubscription_SameProviderSubscriptionIdTwice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        var other = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.Subscriptions.Add(Subscription(account.Id, provider, "sub_1")));
        await SaveAsync(db => db.Subscriptions.Add(Subscription(other.Id, provider, "sub_2")));

        await AssertRejectedAsync(db => db.Subscriptions.Add(Subscription(other.Id, provider, "sub_1")));
    }

    [Theory]
    [InlineData(SubscriptionStatus.Trialing)]
    [InlineData(SubscriptionStatus.Active)]
    [InlineData(SubscriptionStatus.PastDue)]
    [InlineData(SubscriptionStatus.Unpaid)]
    [InlineData(SubscriptionStatus.Paused)]
    [InlineData(SubscriptionStatus.Incomplete)]
    public async Task SaveSubscription_SecondLiveBasePlanForSameAccount_IsRejected(SubscriptionStatus status)
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.Subscriptions.Add(Subscription(account.Id, provider, "sub_1", status)));

        // The domain was not told about sub_1 (a writer that skipped the check): the database refuses the second slot holder.
        await AssertRejectedAsync(db => db.Subscriptions.Add(Subscription(account.Id, provider, "sub_2")));
    }

    [Fact]
    public async Task SaveSubscription_AddOnDuplicateOrEndedBesideTheLiveBasePlan_IsAccepted()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        var live = Subscription(account.Id, provider, "sub_live");
        await SaveAsync(db => db.Subscriptions.Add(live));

        var addOn = Domain.Billing.Subscriptions.Subscription.Start(Guid.NewGuid(), account.Id, provider,
            Snapshot("sub_addon", SubscriptionStatus.Active), isAddOn: true, accountSubscriptions: [live]).Value;
        var duplicate = Domain.Billing.Subscriptions.Subscription.Start(Guid.NewGuid(), account.Id, provider,
            Snapshot("sub_dup", SubscriptionStatus.Active), isAddOn: false, accountSubscriptions: [live]).Value;
        var ended = Subscription(account.Id, provider, "sub_ended", SubscriptionStatus.Canceled);
        await SaveAsync(db => db.Subscriptions.AddRange(addOn, duplicate, ended));

        await using var check = database.CreateContext();
        Assert.Equal(4, await check.Subscriptions.CountAsync(s => s.BillingAccountId == account.Id));
        Assert.Equal(live.Id, await check.Subscriptions.Where(s => s.ProviderSubscriptionId == "sub_dup" && s.Provider == provider)
            .Select(s => s.DuplicateOf).SingleAsync());
    }

    [Fact]
    public async Task SaveSubscription_AfterTheLiveBasePlanEnded_IsAccepted()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        var first = Subscription(account.Id, provider, "sub_1");
        await SaveAsync(db => db.Subscriptions.Add(first));
        await SaveAsync(async db =>
        {
            var stored = await db.Subscriptions.SingleAsync(s => s.Id == first.Id);
            var ended = stored.ApplySnapshot(Snapshot("sub_1", SubscriptionStatus.Canceled) with { SnapshotAt = T0.AddDays(1) });
            return ended.IsSuccess ? Result.Success() : ended.Error;
        });

        await SaveAsync(db => db.Subscriptions.Add(Subscription(account.Id, provider, "sub_2")));
    }

    [Fact]
    public async Task SavePayment_SameProviderPaymentIdTwice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.Payments.Add(Payment(account.Id, provider, "pi_1")));
        await SaveAsync(db => db.Payments.Add(Payment(account.Id, provider, "pi_2")));

        await AssertRejectedAsync(db => db.Payments.Add(Payment(account.Id, provider, "pi_1")));
    }

    [Fact]
    public async Task SaveInvoice_SameProviderInvoiceIdTwice_IsRejected()
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        await SaveAsync(db => db.Invoices.Add(Invoice(account.Id, provider, "in_1")));
        await SaveAsync(db => db.Invoices.Add(Invoice(account.Id, provider, "in_2")));

        await AssertRejectedAsync(db => db.Invoices.Add(Invoice(account.Id, provider, "in_1")));
    }

    [Fact]
    public async Task OpenBillingAccount_SecondForSameOrganization_IsRejected()
    {
        var organizationId = await BillingSeed.OrganizationAsync(database);
        await SaveAsync(db => db.BillingAccounts.Add(BillingAccount.Open(Guid.NewGuid(), organizationId, T0).Value));

        await AssertRejectedAsync(db => db.BillingAccounts.Add(BillingAccount.Open(Guid.NewGuid(), organizationId, T0).Value));
    }

    [Fact]
    public async Task OpenBillingAccount_ForUnknownOrganization_IsRejectedByTheForeignKey()
    {
        await using var db = database.CreateContext();
        db.BillingAccounts.Add(BillingAccount.Open(Guid.NewGuid(), Guid.NewGuid(), T0).Value);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.False(db.IsUniqueViolation(error));
    }

    private static UsageEvent Usage(Guid accountId, string key) =>
        UsageEvent.Record(Guid.NewGuid(), accountId, "api-calls", 5, key, T0, T0.AddDays(30), UsageMode.Add, T0, UsageRules.Default).Value;

    private static Subscription Subscription(Guid accountId, string provider, string subscriptionId, SubscriptionStatus status = SubscriptionStatus.Active) =>
        Domain.Billing.Subscriptions.Subscription.Start(Guid.NewGuid(), accountId, provider, Snapshot(subscriptionId, status),
            isAddOn: false, accountSubscriptions: []).Value;

    private static SubscriptionSnapshot Snapshot(string subscriptionId, SubscriptionStatus status) =>
        new(subscriptionId, status, "pro-monthly", "pro", 1, T0, T0.AddDays(30), status == SubscriptionStatus.Trialing ? T0.AddDays(14) : null, false,
            SubscriptionTransitions.IsTerminal(status) ? T0 : null, SubscriptionTransitions.IsTerminal(status) ? T0 : null, T0);

    private static Payment Payment(Guid accountId, string provider, string paymentId) =>
        Domain.Billing.Payments.Payment.Initiate(Guid.NewGuid(), accountId, provider, paymentId, PaymentKind.OneTime, Usd(5000), null, T0).Value;

    private static Invoice Invoice(Guid accountId, string provider, string invoiceId) =>
        Domain.Billing.Payments.Invoice.Open(Guid.NewGuid(), accountId, provider, invoiceId, "sub_1", Usd(2000), T0, T0.AddDays(30), null, null, T0).Value;

    private static Money Usd(long minor) => Money.Create(minor, "USD").Value;

    private Task SaveAsync(Action<AppDbContext> change) => SaveAsync(db =>
    {
        change(db);
        return Task.FromResult(Result.Success());
    });

    private async Task SaveAsync(Func<AppDbContext, Task<Result>> change)
    {
        await using var db = database.CreateContext();
        Assert.True((await change(db)).IsSuccess);
        await db.SaveChangesAsync();
    }

    private Task AssertRejectedAsync(Action<AppDbContext> change) => AssertRejectedAsync(db =>
    {
        change(db);
        return Task.FromResult(Result.Success());
    });

    private async Task AssertRejectedAsync(Func<AppDbContext, Task<Result>> change)
    {
        await using var db = database.CreateContext();
        Assert.True((await change(db)).IsSuccess);
        await AssertUniqueViolationAsync(db);
    }

    private static async Task AssertUniqueViolationAsync(AppDbContext db)
    {
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(db.IsUniqueViolation(error), $"Expected a unique violation, got: {error.InnerException?.Message}");
    }
}

public sealed class PostgresBillingUniqueInvariantsTests(PostgresTestDatabase database)
    : BillingUniqueInvariantsTests<PostgresTestDatabase>(database);

public sealed class SqliteBillingUniqueInvariantsTests(SqliteTestDatabase database)
    : BillingUniqueInvariantsTests<SqliteTestDatabase>(database);
