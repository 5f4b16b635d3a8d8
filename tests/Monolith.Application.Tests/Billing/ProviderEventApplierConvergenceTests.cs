using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.TestSupport.Billing;

namespace Monolith.Application.Tests.Billing;

public sealed class ProviderEventApplierConvergenceTests
{
    private static readonly DateTimeOffset Now = BillingScenarios.T0.AddDays(100);

    public static TheoryData<string> ScenarioNames() => [.. BillingScenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Apply_EveryPermutationWithADuplicate_EndsInTheInOrderState(string name)
    {
        var scenario = BillingScenarios.All.Single(s => s.Name == name);
        Assert.InRange(scenario.Events.Count, 2, 7);
        var expected = await RunAsync(scenario, scenario.Events);

        var runs = 0;
        foreach (var permutation in Permutations(scenario.Events.Count))
        {
            var duplicated = permutation[runs % permutation.Length];
            var order = permutation.SelectMany(i => i == duplicated ? new[] { i, i } : [i]).Select(i => scenario.Events[i]).ToList();

            var actual = await RunAsync(scenario, order);

            Assert.True(expected == actual, $"{name}: order [{string.Join(", ", order.Select(e => e.ProviderEventId))}] diverged.\n"
                + $"expected:\n{expected}\nactual:\n{actual}");
            runs++;
        }

        Assert.Equal(Factorial(scenario.Events.Count), runs);
    }

    [Fact]
    public async Task Apply_SeededRandomOrdersWithDuplicates_EndInTheInOrderState()
    {
        var scenario = BillingScenarios.LongLife();
        Assert.InRange(scenario.Events.Count, 12, 20);
        var expected = await RunAsync(scenario, scenario.Events);
        var random = new Random(20261122);

        for (var run = 0; run < 300; run++)
        {
            var order = scenario.Events.ToList();
            foreach (var e in scenario.Events.Where(_ => random.NextDouble() < 0.3))
            {
                order.Insert(random.Next(order.Count + 1), e);
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));

            var actual = await RunAsync(scenario, order);

            Assert.True(expected == actual, $"run {run}: order [{string.Join(", ", order.Select(e => e.ProviderEventId))}] diverged.\n"
                + $"expected:\n{expected}\nactual:\n{actual}");
        }
    }

    [Fact]
    public async Task Apply_SignUpWithTrialInOrder_EndsActiveInSecondPeriodWithTrialUsed()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.SignUpWithTrial());

        var subscription = Assert.Single(store.Subscriptions);
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(BillingScenarios.T0.AddDays(74), subscription.CurrentPeriodEnd);
        Assert.True(store.Accounts[0].HasUsedTrial);
        Assert.Equal(BillingScenarios.Customer, store.Accounts[0].CustomerIdFor(BillingScenarios.Provider));
        Assert.Equal(CheckoutStatus.Complete, store.Sessions.Single(s => s.ProviderSessionId == "cs_sub").Status);
        Assert.All(store.Invoices, i => Assert.Equal(InvoiceStatus.Paid, i.Status));
        Assert.Empty(store.Pending);
    }

    [Fact]
    public async Task Apply_PaymentFailureAndRecoveryInOrder_EndsActiveWithPaidInvoiceAndClearedFailure()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.PaymentFailureAndRecovery());

        Assert.Equal(SubscriptionStatus.Active, Assert.Single(store.Subscriptions).Status);
        var invoice = Assert.Single(store.Invoices);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal(3, invoice.AttemptCount);
        var payment = Assert.Single(store.Payments);
        Assert.Equal(PaymentStatus.Failed, payment.Status);
        Assert.Equal("insufficient_funds", payment.FailureCode);
    }

    [Fact]
    public async Task Apply_CancelAtPeriodEndInOrder_EndsCanceledAndExpiresAbandonedCheckout()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.CancelAtPeriodEnd());

        var subscription = Assert.Single(store.Subscriptions);
        Assert.Equal(SubscriptionStatus.Canceled, subscription.Status);
        Assert.Equal(BillingScenarios.T0.AddDays(30), subscription.EndedAt);
        Assert.Equal(CheckoutStatus.Expired, store.Sessions.Single(s => s.ProviderSessionId == "cs_abandoned").Status);
    }

    [Fact]
    public async Task Apply_UpgradeInOrder_EndsOnProWithTheGreaterSameSecondSnapshot()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.UpgradeMidPeriod());

        var subscription = Assert.Single(store.Subscriptions);
        Assert.Equal("pro", subscription.PlanId);
        Assert.Equal(3, subscription.Quantity);
        Assert.Equal(2, store.Invoices.Count);
    }

    [Fact]
    public async Task Apply_OneTimePurchaseInOrder_RefundsEverythingOnceDespiteRedelivery()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.OneTimePurchaseWithRefunds());

        var payment = Assert.Single(store.Payments);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Null(payment.FailureCode);
        Assert.Equal(2, payment.Refunds.Count);
        Assert.Equal(5000, payment.RefundedAmount.AmountMinor);
        Assert.True(payment.IsFullyRefunded);
    }

    [Fact]
    public async Task Apply_SubscriptionBeforeCheckout_ParksThenAttachesToTheCheckoutAccount()
    {
        var scenario = BillingScenarios.SubscriptionBeforeCheckout();
        var store = BillingScenarios.Seed(scenario.LinkCustomerUpFront);
        var applier = new ProviderEventApplier(store);

        var first = await applier.ApplyAsync(scenario.Events[0], Now, CancellationToken.None);
        Assert.Equal(ProviderEventDisposition.Parked, first.Outcome.Disposition);
        Assert.Empty(store.Subscriptions);

        foreach (var e in scenario.Events.Skip(1))
        {
            await applier.ApplyAsync(e, Now, CancellationToken.None);
        }

        var subscription = Assert.Single(store.Subscriptions);
        Assert.Equal(BillingScenarios.AccountId, subscription.BillingAccountId);
        Assert.True(subscription.CancelAtPeriodEnd);
        Assert.Equal(500, Assert.Single(store.Payments).RefundedAmount.AmountMinor);
        Assert.Empty(store.Pending);
    }

    [Fact]
    public async Task Apply_EventsOfAnUnlinkedCustomer_StayParkedAndAreNeverAttached()
    {
        var store = await ApplyInOrderAsync(BillingScenarios.LongLife(), allowParked: true);

        Assert.DoesNotContain(store.Subscriptions, s => s.ProviderSubscriptionId == "sub_x");
        Assert.DoesNotContain(store.Payments, p => p.ProviderPaymentId == "pi_x");
        Assert.Equal(["evt_l18", "evt_l19"], store.Pending.Select(p => p.Event.ProviderEventId).Order(StringComparer.Ordinal));
        Assert.Equal(SubscriptionStatus.Canceled, store.Subscriptions.Single(s => s.ProviderSubscriptionId == "sub_l").Status);
    }

    [Fact]
    public async Task Apply_CheckoutForCustomerOfAnotherAccount_FailsWithoutLinking()
    {
        var store = BillingScenarios.Seed(linkCustomerUpFront: true);
        var other = Monolith.Domain.Billing.Accounts.BillingAccount.Open(Guid.NewGuid(), Guid.NewGuid(), BillingScenarios.T0).Value;
        store.AddAccount(other);
        var applier = new ProviderEventApplier(store);

        var result = await applier.ApplyAsync(
            new CheckoutCompleted(BillingScenarios.Provider, "evt_x", BillingScenarios.T0, "cs_other", BillingScenarios.Customer, other.Id,
                CheckoutMode.Subscription, "sub_x"),
            Now,
            CancellationToken.None);

        Assert.Equal(ProviderEventDisposition.Failed, result.Outcome.Disposition);
        Assert.Equal("billing.account.customer_linked_elsewhere", result.Outcome.Error!.Code);
        Assert.Empty(other.Customers);
    }

    [Fact]
    public async Task Apply_StaleSnapshotAfterCancellation_IsIgnoredAndDoesNotReactivate()
    {
        var scenario = BillingScenarios.CancelAtPeriodEnd();
        var store = BillingScenarios.Seed(scenario.LinkCustomerUpFront);
        var applier = new ProviderEventApplier(store);

        await applier.ApplyAsync(scenario.Events[5], Now, CancellationToken.None);
        var late = await applier.ApplyAsync(scenario.Events[0], Now, CancellationToken.None);

        Assert.Equal(ProviderEventDisposition.Ignored, late.Outcome.Disposition);
        Assert.Equal(SubscriptionStatus.Canceled, Assert.Single(store.Subscriptions).Status);
    }

    private static async Task<InMemoryBillingFactsStore> ApplyInOrderAsync(BillingScenario scenario, bool allowParked = false)
    {
        var store = BillingScenarios.Seed(scenario.LinkCustomerUpFront);
        var applier = new ProviderEventApplier(store);
        foreach (var e in scenario.Events)
        {
            var result = await applier.ApplyAsync(e, Now, CancellationToken.None);
            Assert.NotEqual(ProviderEventDisposition.Failed, result.Outcome.Disposition);
            Assert.DoesNotContain(result.Replayed, r => r.Disposition == ProviderEventDisposition.Failed);
        }

        if (!allowParked)
        {
            Assert.Empty(store.Pending);
        }

        return store;
    }

    private static async Task<string> RunAsync(BillingScenario scenario, IEnumerable<ProviderEvent> events)
    {
        var store = BillingScenarios.Seed(scenario.LinkCustomerUpFront);
        var applier = new ProviderEventApplier(store);
        foreach (var e in events)
        {
            await applier.ApplyAsync(e, Now, CancellationToken.None);
        }

        return store.Project();
    }

    private static IEnumerable<int[]> Permutations(int count)
    {
        var items = Enumerable.Range(0, count).ToArray();
        return Permute(items, 0);

        static IEnumerable<int[]> Permute(int[] items, int start)
        {
            if (start == items.Length - 1)
            {
                yield return (int[])items.Clone();
                yield break;
            }

            for (var i = start; i < items.Length; i++)
            {
                (items[start], items[i]) = (items[i], items[start]);
                foreach (var permutation in Permute(items, start + 1))
                {
                    yield return permutation;
                }

                (items[start], items[i]) = (items[i], items[start]);
            }
        }
    }

    private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
