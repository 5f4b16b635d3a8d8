using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Entitlements;
using Monolith.Application.Billing.Entitlements.CheckEntitlement;
using Monolith.Application.Billing.Entitlements.ListBalances;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Application.Billing.Usage.TrackUsage;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.UseCases;

/// <summary>
/// CheckEntitlement, ListBalances, ListSubscriptions and TrackUsage on a real database, with the shipped catalogue
/// (free: projects + 1,000 api-calls; pro: more). Runs on PostgreSQL and SQLite.
/// </summary>
public abstract class EntitlementUseCasesTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private ApplicationHost _host = null!;

    protected TDatabase Database { get; } = database;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Check_WithoutAnySubscription_GrantsTheDefaultFreePlan()
    {
        var owner = await _host.RegisterAsync();

        var projects = await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "projects"), owner.UserId);
        var apiCalls = await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId);

        Assert.True(projects.Value.Allowed);
        Assert.True(projects.Value.Unlimited);
        Assert.Equal(1000, apiCalls.Value.Limit);
        Assert.Equal(0, apiCalls.Value.Used);
    }

    [Fact]
    public async Task Check_WithActiveProSubscription_TheMostGenerousLimitWins()
    {
        var owner = await _host.RegisterAsync();
        await SubscribeAsync(owner.PersonalOrganizationId, "pro", "pro-monthly", SubscriptionStatus.Active);

        var free = (await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId)).Value;
        var byPrice = (await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, null, "pro-monthly"), owner.UserId)).Value;

        Assert.True(free.Unlimited || free.Limit > 1000);
        Assert.True(byPrice.Allowed);
    }

    [Fact]
    public async Task Check_AfterTheSubscriptionIsCanceledAndCommitted_IsDeniedAtOnce()
    {
        var owner = await _host.RegisterAsync();
        var (accountId, subscriptionId) = await SubscribeAsync(owner.PersonalOrganizationId, "pro", "pro-monthly", SubscriptionStatus.Active);
        var entitlements = _host.Services.GetRequiredService<EntitlementCache>();
        Assert.Equal(100_000, (await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId)).Value.Limit);
        Assert.True(entitlements.TryGet(accountId, out _));

        await _host.QueryDbAsync(async db =>
        {
            var subscription = await db.Subscriptions.SingleAsync(s => s.Id == subscriptionId);
            var canceled = Snapshot(subscription.ProviderSubscriptionId, "pro", "pro-monthly", SubscriptionStatus.Canceled, DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.True(subscription.ApplySnapshot(canceled).IsSuccess);
            return await db.SaveChangesAsync();
        });

        Assert.False(entitlements.TryGet(accountId, out _));
        Assert.Equal(1_000, (await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId)).Value.Limit);
        Assert.False((await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, null, "pro-monthly"), owner.UserId)).Value.Allowed);
    }

    [Fact]
    public async Task Check_OneTimePurchase_IsGrantedWhenItsSessionCompletesAfterThePaymentWasCachedWithout()
    {
        var owner = await _host.RegisterAsync();
        var paymentId = $"pi_{Guid.NewGuid():N}";
        var accountId = await _host.QueryDbAsync(async db =>
        {
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value;
            db.BillingAccounts.Add(account);
            var session = Domain.Billing.Payments.CheckoutSession.Open(Guid.NewGuid(), account.Id, "inmemory", $"cs_{Guid.NewGuid():N}", "lifetime-report",
                Domain.Billing.Payments.CheckoutMode.Payment, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow).Value;
            db.CheckoutSessions.Add(session);
            var payment = Domain.Billing.Payments.Payment.Initiate(Guid.NewGuid(), account.Id, "inmemory", paymentId,
                Domain.Billing.Payments.PaymentKind.OneTime, Domain.Common.Money.Create(9900, "EUR").Value, null, DateTimeOffset.UtcNow).Value;
            Assert.True(payment.MarkSucceeded($"ch_{Guid.NewGuid():N}", payment.Amount, DateTimeOffset.UtcNow).IsSuccess);
            db.Payments.Add(payment);
            await db.SaveChangesAsync();
            return account.Id;
        });
        Assert.False((await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "lifetime-report"), owner.UserId)).Value.Allowed);

        // The session's completion (which ties the payment to its price) commits after the denial was cached.
        await _host.QueryDbAsync(async db =>
        {
            var session = await db.CheckoutSessions.SingleAsync(s => s.BillingAccountId == accountId);
            Assert.True(session.Complete(paymentId, DateTimeOffset.UtcNow).IsSuccess);
            return await db.SaveChangesAsync();
        });

        Assert.True((await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "lifetime-report"), owner.UserId)).Value.Allowed);
    }

    [Fact]
    public async Task TrackUsage_SameKeyTwice_CountsOnceAndReplaysTheFirstResult()
    {
        var owner = await _host.RegisterAsync();
        var key = Guid.NewGuid().ToString();

        var first = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 40, key), owner.UserId);
        var replay = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 40, key), owner.UserId);
        var check = await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId);

        Assert.Equal(40, first.Value.Used);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(40, check.Value.Used);
        Assert.Equal(960, check.Value.Balance);
        Assert.Equal(1, await _host.QueryDbAsync(db => db.UsageEvents.CountAsync(u => u.IdempotencyKey == key)));
    }

    [Fact]
    public async Task TrackUsage_OverTheLimit_IsRecordedAndReportedNotClamped()
    {
        var owner = await _host.RegisterAsync();

        await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 900, "k1"), owner.UserId);
        var over = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 250, "k2"), owner.UserId);

        Assert.Equal(1150, over.Value.Used);
        Assert.Equal(-150, over.Value.Balance);
        Assert.True(over.Value.OverLimit);
        Assert.False(over.Value.Allowed);
    }

    [Fact]
    public async Task TrackUsage_SetTotal_ReplacesTheRunningTotal()
    {
        var owner = await _host.RegisterAsync();

        await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 300, "a"), owner.UserId);
        var set = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 120, "b", UsageMode.SetTotal), owner.UserId);
        var after = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 5, "c"), owner.UserId);

        Assert.Equal(120, set.Value.Used);
        Assert.Equal(125, after.Value.Used);
    }

    [Fact]
    public async Task TrackUsage_UnmeteredFeature_IsRefusedAndNothingIsRecorded()
    {
        var owner = await _host.RegisterAsync();

        var result = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "projects", 1, "x"), owner.UserId);

        Assert.Equal("billing.usage.feature_not_metered", result.Error!.Code);
        Assert.Equal(0, await _host.QueryDbAsync(db => db.UsageEvents.CountAsync(u => u.IdempotencyKey == "x")));
    }

    [Fact]
    public async Task TrackUsage_TwoEventsOfLongMaxValue_AreRefusedAndNothingIsWritten()
    {
        var owner = await _host.RegisterAsync();

        var first = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", long.MaxValue, "max-1"), owner.UserId);
        var second = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", long.MaxValue, "max-2"), owner.UserId);
        var reading = await _host.SendAsync(
            new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", long.MaxValue, "max-3", UsageMode.SetTotal), owner.UserId);
        var balances = await _host.SendAsync(new ListBalancesQuery(owner.PersonalOrganizationId), owner.UserId);

        Assert.Equal("billing.usage.quantity_too_large", first.Error!.Code);
        Assert.Equal("billing.usage.quantity_too_large", second.Error!.Code);
        Assert.Equal("billing.usage.quantity_too_large", reading.Error!.Code);
        Assert.Equal(Domain.Common.ErrorKind.Validation, first.Error.Kind);
        Assert.Equal(0, await _host.QueryDbAsync(db => db.UsageEvents.CountAsync(u => u.IdempotencyKey.StartsWith("max-"))));
        Assert.Equal(0, balances.Value.Single(b => b.FeatureId == "api-calls").Used);
    }

    [Fact]
    public async Task TrackUsage_PastTheConfiguredPeriodMaximum_IsRefusedAndNothingIsWritten()
    {
        await using var host = new ApplicationHost(Database, settings: new Dictionary<string, string?>
        {
            ["Billing:Usage:MaxQuantityPerEvent"] = "10", ["Billing:Usage:MaxTotalPerPeriod"] = "15",
        });
        var owner = await host.RegisterAsync();

        var tooBig = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 11, "p0"), owner.UserId);
        var first = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 10, "p1"), owner.UserId);
        var past = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 6, "p2"), owner.UserId);
        var upTo = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 5, "p3"), owner.UserId);
        var reading = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 3, "p4", UsageMode.SetTotal), owner.UserId);

        Assert.Equal("billing.usage.quantity_too_large", tooBig.Error!.Code);
        Assert.Equal(10, first.Value.Used);
        Assert.Equal("billing.usage.period_total_exceeded", past.Error!.Code);
        Assert.Equal(15, upTo.Value.Used);
        Assert.Equal(3, reading.Value.Used);
        Assert.Equal(["p1", "p3", "p4"], await host.QueryDbAsync(db => db.UsageEvents
            .Where(u => u.IdempotencyKey.StartsWith("p")).Select(u => u.IdempotencyKey).OrderBy(k => k).ToListAsync()));
    }

    [Fact]
    public async Task Balances_RowsWhoseTotalOverflowsALong_ReadSaturatedAndFurtherUsageIsRefused()
    {
        var owner = await _host.RegisterAsync();
        var keys = new[] { $"old-{Guid.NewGuid():N}", $"old-{Guid.NewGuid():N}" };
        foreach (var key in keys)
        {
            Assert.True((await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 1, key), owner.UserId)).IsSuccess);
        }

        // Rows written before the bounds existed: two events of long.MaxValue (the sum wraps to -2 in plain arithmetic).
        await _host.QueryDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE billing_usage_events SET quantity = {long.MaxValue} WHERE idempotency_key IN ({keys[0]}, {keys[1]})"));

        var balances = await _host.SendAsync(new ListBalancesQuery(owner.PersonalOrganizationId), owner.UserId);
        var check = await _host.SendAsync(new CheckEntitlementQuery(owner.PersonalOrganizationId, "api-calls"), owner.UserId);
        var more = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 1, "after-overflow"), owner.UserId);

        var apiCalls = balances.Value.Single(b => b.FeatureId == "api-calls");
        Assert.Equal(long.MaxValue, apiCalls.Used);
        Assert.Equal(1000 - long.MaxValue, apiCalls.Balance);
        Assert.True(apiCalls.OverLimit);
        Assert.False(apiCalls.Allowed);
        Assert.Equal(long.MaxValue, check.Value.Used);
        Assert.False(check.Value.Allowed);
        Assert.Equal("billing.usage.period_total_exceeded", more.Error!.Code);
    }

    [Fact]
    public async Task UseCases_CalledByAMemberOfAnotherOrganization_LeakNothing()
    {
        var owner = await _host.RegisterAsync();
        var stranger = await _host.RegisterAsync();
        await SubscribeAsync(owner.PersonalOrganizationId, "pro", "pro-monthly", SubscriptionStatus.Active);

        var subscriptions = await _host.SendAsync(new ListSubscriptionsQuery(owner.PersonalOrganizationId), stranger.UserId);
        var balances = await _host.SendAsync(new ListBalancesQuery(owner.PersonalOrganizationId), stranger.UserId);
        var usage = await _host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 1, "y"), stranger.UserId);

        Assert.Equal("auth.organization_not_found", subscriptions.Error!.Code);
        Assert.Equal("auth.organization_not_found", balances.Error!.Code);
        Assert.Equal("auth.organization_not_found", usage.Error!.Code);
    }

    [Fact]
    public async Task ListBalances_ReturnsEveryConfiguredFeature()
    {
        var owner = await _host.RegisterAsync();

        var balances = await _host.SendAsync(new ListBalancesQuery(owner.PersonalOrganizationId), owner.UserId);

        Assert.Contains(balances.Value, b => b.FeatureId == "projects" && b.Allowed);
        Assert.Contains(balances.Value, b => b.FeatureId == "api-calls" && b.Limit == 1000);
        Assert.Contains(balances.Value, b => b.FeatureId == "seats" && !b.Allowed);
    }

    [Fact]
    public async Task ListSubscriptions_ShowsTheAccountsSubscription()
    {
        var owner = await _host.RegisterAsync();
        await SubscribeAsync(owner.PersonalOrganizationId, "pro", "pro-monthly", SubscriptionStatus.Trialing);

        var list = await _host.SendAsync(new ListSubscriptionsQuery(owner.PersonalOrganizationId), owner.UserId);

        var subscription = Assert.Single(list.Value);
        Assert.Equal(SubscriptionStatus.Trialing, subscription.Status);
        Assert.Equal("pro", subscription.PlanId);
    }

    private Task<(Guid AccountId, Guid SubscriptionId)> SubscribeAsync(Guid organizationId, string planId, string priceId, SubscriptionStatus status) =>
        _host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var account = await db.BillingAccounts.FirstOrDefaultAsync(a => a.OrganizationId == organizationId)
                          ?? BillingAccount.Open(Guid.NewGuid(), organizationId, now).Value;
            if (db.Entry(account).State == EntityState.Detached)
            {
                db.BillingAccounts.Add(account);
            }

            var subscription = Subscription.Start(Guid.NewGuid(), account.Id, "inmemory",
                Snapshot($"sub_{Guid.NewGuid():N}", planId, priceId, status, now), isAddOn: false, accountSubscriptions: []).Value;
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return (account.Id, subscription.Id);
        });

    private static SubscriptionSnapshot Snapshot(string id, string planId, string priceId, SubscriptionStatus status, DateTimeOffset at) =>
        new(id, status, priceId, planId, 1, at.AddDays(-1), at.AddDays(29),
            status == SubscriptionStatus.Trialing ? at.AddDays(13) : null, false,
            status == SubscriptionStatus.Canceled ? at : null, status == SubscriptionStatus.Canceled ? at : null, at);
}

public sealed class PostgresEntitlementUseCasesTests(PostgresTestDatabase database) : EntitlementUseCasesTests<PostgresTestDatabase>(database);

public sealed class SqliteEntitlementUseCasesTests(SqliteTestDatabase database) : EntitlementUseCasesTests<SqliteTestDatabase>(database);
