using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing;
using Monolith.TestSupport.Billing;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>
/// <see cref="ProviderEventApplier"/> over the EF store ends in the state the in-memory reference store reaches for
/// the same events, whether each event is its own unit of work (saved, then a fresh context) or all share one.
/// </summary>
public abstract class EfBillingFactsStoreApplierTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset Now = BillingSeed.T0.AddDays(100);

    [Fact]
    public async Task Apply_SignUpWithTrialOneEventPerUnitOfWork_MatchesInMemoryStore()
    {
        var run = await RunAsync(s => s.SignUpWithTrial(), unitOfWorkPerEvent: true);

        Assert.Equal(run.Expected, run.Actual);
        Assert.Contains($"subscription | {run.Provider} | sub_a | {run.AccountId} | Active |", run.Actual, StringComparison.Ordinal);
        Assert.Contains($"account | {run.AccountId} | {run.OrganizationId} | True | {run.Provider}:{ApplierScenarios.Customer}", run.Actual,
            StringComparison.Ordinal);
        Assert.Equal(2, run.Actual.Split('\n').Count(l => l.StartsWith("invoice |", StringComparison.Ordinal) && l.Contains("| Paid |", StringComparison.Ordinal)));
        Assert.DoesNotContain("pending |", run.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_SubscriptionBeforeCheckoutOneEventPerUnitOfWork_ReplaysParkedEventsAndMatchesInMemoryStore()
    {
        var run = await RunAsync(s => s.SubscriptionBeforeCheckout(), unitOfWorkPerEvent: true);

        Assert.Equal(run.Expected, run.Actual);
        Assert.Equal(4, run.Outcomes.Take(4).Count(o => o.Disposition == ProviderEventDisposition.Parked));
        Assert.Contains($"subscription | {run.Provider} | sub_f | {run.AccountId} | Active |", run.Actual, StringComparison.Ordinal);
        Assert.Contains("re_f1=500 USD (minor units)/requested_by_customer", run.Actual, StringComparison.Ordinal);
        Assert.DoesNotContain("pending |", run.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_SubscriptionBeforeCheckoutInOneUnitOfWork_SeesUnsavedChangesAndMatchesInMemoryStore()
    {
        var run = await RunAsync(s => s.SubscriptionBeforeCheckout(), unitOfWorkPerEvent: false);

        Assert.Equal(run.Expected, run.Actual);
        Assert.Contains($"payment | {run.Provider} | pi_f1 | {run.AccountId} | Invoice | in_f1 | 2000 USD (minor units) | Succeeded |", run.Actual,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_EventsOfAnUnlinkedCustomer_StayParkedAcrossUnitsOfWorkAndParkOnce()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        var snapshot = new SubscriptionSnapshot(
            "sub_x", SubscriptionStatus.Active, "pro-monthly", "pro", 1, BillingSeed.T0, BillingSeed.T0.AddDays(30), null, false, null, null, BillingSeed.T0);
        var stranger = new SubscriptionChanged(provider, "evt_x", BillingSeed.T0, "cus_stranger", null, snapshot);

        for (var delivery = 0; delivery < 2; delivery++)
        {
            await using var db = database.CreateContext();
            var outcome = await new ProviderEventApplier(new EfBillingFactsStore(db)).ApplyAsync(stranger, Now, CancellationToken.None);
            Assert.Equal(ProviderEventDisposition.Parked, outcome.Outcome.Disposition);
            await db.SaveChangesAsync();
        }

        await using var check = database.CreateContext();
        var rows = check.PendingProviderEvents.Where(p => p.Provider == provider).ToList();
        Assert.Equal(
            [PendingKeys.Customer(provider, "cus_stranger"), PendingKeys.Subscription(provider, "sub_x")],
            rows.Select(r => r.WaitKey).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("sub_x", await BillingState.ProjectAsync(check, account.Id, provider), StringComparison.Ordinal);

        var taken = await new EfBillingFactsStore(check).TakePendingAsync(PendingKeys.Subscription(provider, "sub_x"), CancellationToken.None);
        Assert.Equal(stranger, Assert.Single(taken).Event);
        Assert.Equal(2, Assert.Single(taken).WaitingFor.Count);
        await check.SaveChangesAsync();

        await using var after = database.CreateContext();
        Assert.Empty(after.PendingProviderEvents.Where(p => p.Provider == provider));
    }

    [Fact]
    public async Task Apply_CustomerUpdated_SetsTheBillingEmailNewestWinsAndParksForAnUnlinkedCustomer()
    {
        var account = await BillingSeed.AccountAsync(database);
        var provider = BillingSeed.NewProvider();
        await using (var db = database.CreateContext())
        {
            var tracked = await db.BillingAccounts.SingleAsync(a => a.Id == account.Id);
            Assert.True(tracked.LinkCustomer(provider, "cus_mail", BillingSeed.T0).IsSuccess);
            await db.SaveChangesAsync();
        }

        var newer = new CustomerUpdated(provider, "evt_mail_2", BillingSeed.T0.AddSeconds(2), "cus_mail", null, "new@acme.test");
        var older = new CustomerUpdated(provider, "evt_mail_1", BillingSeed.T0.AddSeconds(1), "cus_mail", null, "old@acme.test");
        var dispositions = new List<ProviderEventDisposition>();
        foreach (var e in new[] { newer, older })
        {
            await using var db = database.CreateContext();
            dispositions.Add((await new ProviderEventApplier(new EfBillingFactsStore(db)).ApplyAsync(e, Now, CancellationToken.None)).Outcome.Disposition);
            await db.SaveChangesAsync();
        }

        Assert.Equal([ProviderEventDisposition.Applied, ProviderEventDisposition.Ignored], dispositions);
        await using (var check = database.CreateContext())
        {
            var saved = await check.BillingAccounts.AsNoTracking().SingleAsync(a => a.Id == account.Id);
            Assert.Equal(("new@acme.test", (DateTimeOffset?)newer.OccurredAt), (saved.BillingEmail, saved.BillingEmailChangedAt));
        }

        var stranger = new CustomerUpdated(provider, "evt_mail_3", BillingSeed.T0.AddSeconds(3), "cus_unlinked", null, "x@acme.test");
        await using (var db = database.CreateContext())
        {
            Assert.Equal(ProviderEventDisposition.Parked, (await new ProviderEventApplier(new EfBillingFactsStore(db)).ApplyAsync(stranger, Now, CancellationToken.None)).Outcome.Disposition);
            await db.SaveChangesAsync();
        }

        await using var after = database.CreateContext();
        var taken = await new EfBillingFactsStore(after).TakePendingAsync(PendingKeys.Customer(provider, "cus_unlinked"), CancellationToken.None);
        Assert.Equal(stranger, Assert.Single(taken).Event);
    }

    private async Task<Run> RunAsync(Func<ApplierScenarios, IReadOnlyList<ProviderEvent>> events, bool unitOfWorkPerEvent)
    {
        var provider = BillingSeed.NewProvider();
        var account = await BillingSeed.AccountAsync(database);
        var scenario = new ApplierScenarios(provider, account.Id);

        var memory = new InMemoryBillingFactsStore();
        memory.AddAccount(BillingAccount.Open(account.Id, account.OrganizationId, BillingSeed.T0).Value);
        foreach (var session in scenario.Sessions())
        {
            memory.AddCheckoutSession(session);
        }

        var expectedOutcomes = new List<ProviderEventApplication>();
        var memoryApplier = new ProviderEventApplier(memory);
        foreach (var e in events(scenario))
        {
            expectedOutcomes.Add(await memoryApplier.ApplyAsync(e, Now, CancellationToken.None));
        }

        await using (var db = database.CreateContext())
        {
            db.CheckoutSessions.AddRange(scenario.Sessions());
            await db.SaveChangesAsync();
        }

        var outcomes = new List<ProviderEventApplication>();
        if (unitOfWorkPerEvent)
        {
            foreach (var e in events(scenario))
            {
                await using var db = database.CreateContext();
                outcomes.Add(await new ProviderEventApplier(new EfBillingFactsStore(db)).ApplyAsync(e, Now, CancellationToken.None));
                await db.SaveChangesAsync();
            }
        }
        else
        {
            await using var db = database.CreateContext();
            var applier = new ProviderEventApplier(new EfBillingFactsStore(db));
            foreach (var e in events(scenario))
            {
                outcomes.Add(await applier.ApplyAsync(e, Now, CancellationToken.None));
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(Describe(expectedOutcomes), Describe(outcomes));

        await using var fresh = database.CreateContext();
        var actual = await BillingState.ProjectAsync(fresh, account.Id, provider);
        return new Run(provider, account.Id, account.OrganizationId, memory.Project(), actual, [.. outcomes.Select(o => o.Outcome)]);
    }

    private static string Describe(IEnumerable<ProviderEventApplication> applications) =>
        string.Join('\n', applications.Select(a =>
            $"{a.Outcome.ProviderEventId}:{a.Outcome.Disposition} <- {string.Join(",", a.Replayed.Select(r => $"{r.ProviderEventId}:{r.Disposition}"))}"));

    private sealed record Run(
        string Provider, Guid AccountId, Guid OrganizationId, string Expected, string Actual, IReadOnlyList<ProviderEventOutcome> Outcomes);
}

public sealed class PostgresEfBillingFactsStoreApplierTests(PostgresTestDatabase database)
    : EfBillingFactsStoreApplierTests<PostgresTestDatabase>(database);

public sealed class SqliteEfBillingFactsStoreApplierTests(SqliteTestDatabase database)
    : EfBillingFactsStoreApplierTests<SqliteTestDatabase>(database);
