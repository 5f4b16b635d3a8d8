using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using static Monolith.Infrastructure.Tests.Billing.Simulator.SimulatorHarness;

namespace Monolith.Infrastructure.Tests.Billing.Simulator;

public sealed class SimulatorClockTests
{
    [Fact]
    public async Task Advance_OneMonthWithGoodCard_RenewsWithInvoicePaidAndNewPeriod()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);
        var before = sim.Clock.Now;

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(31));

        Assert.True(sim.Clock.Now - before >= TimeSpan.FromDays(31));
        var parsed = await sim.WaitForAsync(p => Events<InvoicePaid>(p).Count() == 2 && Events<SubscriptionChanged>(p).Count() == 2);
        var renewed = Events<SubscriptionChanged>(parsed).Select(e => e.Snapshot).Single(s => s.CurrentPeriodStart == first.CurrentPeriodEnd);
        Assert.Equal((SubscriptionStatus.Active, first.CurrentPeriodEnd.AddMonths(1)), (renewed.Status, renewed.CurrentPeriodEnd));
        Assert.True(renewed.SnapshotAt >= first.CurrentPeriodEnd);
        var invoice = Events<InvoicePaid>(parsed).Single(i => i.Invoice.PeriodStart == first.CurrentPeriodEnd);
        Assert.Equal((1900L, renewed.CurrentPeriodEnd), (invoice.AmountPaidMinor, invoice.Invoice.PeriodEnd));
        Assert.Equal(2, Events<PaymentSucceeded>(parsed).Count());
    }

    [Fact]
    public async Task Advance_WithFailingCard_GoesPastDueThenUnpaidAfterDunning()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);
        Assert.True(sim.State.SetDefaultCardOutcome(first.CustomerId, CardOutcome.InsufficientFunds).IsSuccess);

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(31));

        var parsed = await sim.WaitForAsync(p => Events<SubscriptionChanged>(p).Any(e => e.Snapshot.Status == SubscriptionStatus.PastDue));
        var failed = Assert.Single(Events<InvoicePaymentFailed>(parsed));
        Assert.Equal((1, first.CurrentPeriodEnd), (failed.Invoice.AttemptCount, failed.Invoice.PeriodStart));
        Assert.Equal("insufficient_funds", Assert.Single(Events<PaymentFailed>(parsed)).FailureCode);

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(10));

        parsed = await sim.WaitForAsync(p => Events<SubscriptionChanged>(p).Any(e => e.Snapshot.Status == SubscriptionStatus.Unpaid));
        Assert.Equal(SimulatorState.MaxInvoiceAttempts, Events<InvoicePaymentFailed>(parsed).Max(e => e.Invoice.AttemptCount));
        Assert.Equal(SimulatorState.MaxInvoiceAttempts, Events<InvoicePaymentFailed>(parsed).Count());
    }

    [Fact]
    public async Task Advance_PastDueThenCardFixed_RetryPaysAndReactivates()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);
        sim.State.SetDefaultCardOutcome(first.CustomerId, CardOutcome.Declined);
        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(31));
        var pastDue = await sim.WaitForAsync(p => Events<SubscriptionChanged>(p).Any(e => e.Snapshot.Status == SubscriptionStatus.PastDue));
        var pastDueAt = Events<SubscriptionChanged>(pastDue).Where(e => e.Snapshot.Status == SubscriptionStatus.PastDue).Max(e => e.Snapshot.SnapshotAt);

        sim.State.SetDefaultCardOutcome(first.CustomerId, CardOutcome.Succeeds);
        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(3));

        // The paid invoice and the subscription's update are separate webhooks: wait for both, in whatever order they come.
        var parsed = await sim.WaitForAsync(p => Events<InvoicePaid>(p).Count() == 2
            && Events<SubscriptionChanged>(p).Any(e => e.Snapshot.SnapshotAt > pastDueAt));
        var latest = Events<SubscriptionChanged>(parsed).Select(e => e.Snapshot).MaxBy(s => s.SnapshotAt)!;
        Assert.Equal(SubscriptionStatus.Active, latest.Status);
        Assert.Equal(2, Events<InvoicePaid>(parsed).Single(i => i.Invoice.PeriodStart == first.CurrentPeriodEnd).Invoice.AttemptCount);
    }

    [Fact]
    public async Task CancelAtPeriodEnd_ThenAdvance_DeletesTheSubscription()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);

        Assert.True((await sim.Port.CancelSubscriptionAsync(first.ProviderSubscriptionId, atPeriodEnd: true, "cancel-1", default)).IsSuccess);
        var parsed = await sim.WaitForAsync(p => Events<SubscriptionChanged>(p).Any(e => e.Snapshot.CancelAtPeriodEnd));
        Assert.Empty(Events<SubscriptionDeleted>(parsed));

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(31));

        parsed = await sim.WaitForAsync(p => Events<SubscriptionDeleted>(p).Any());
        var deleted = Assert.Single(Events<SubscriptionDeleted>(parsed)).Snapshot;
        Assert.Equal((SubscriptionStatus.Canceled, first.CurrentPeriodStart), (deleted.Status, deleted.CurrentPeriodStart));
        Assert.True(deleted.EndedAt >= first.CurrentPeriodEnd);
        Assert.Single(Events<InvoicePaid>(parsed));
    }

    [Fact]
    public async Task Resume_AfterCancelAtPeriodEnd_KeepsRenewing()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);
        await sim.Port.CancelSubscriptionAsync(first.ProviderSubscriptionId, atPeriodEnd: true, "cancel-1", default);
        Assert.True((await sim.Port.ResumeSubscriptionAsync(first.ProviderSubscriptionId, "resume-1", default)).IsSuccess);

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(31));

        var parsed = await sim.WaitForAsync(p => Events<InvoicePaid>(p).Count() == 2);
        Assert.Empty(Events<SubscriptionDeleted>(parsed));
        var latest = Events<SubscriptionChanged>(parsed).Select(e => e.Snapshot).MaxBy(s => s.SnapshotAt)!;
        Assert.False(latest.CancelAtPeriodEnd);
        Assert.Equal(SubscriptionStatus.Active, latest.Status);
    }

    [Fact]
    public async Task CancelImmediately_DeletesNow_AndFetchReturnsTheFinalSnapshot()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);

        Assert.True((await sim.Port.CancelSubscriptionAsync(first.ProviderSubscriptionId, atPeriodEnd: false, "cancel-now", default)).IsSuccess);

        var parsed = await sim.WaitForAsync(p => Events<SubscriptionDeleted>(p).Any());
        var fetched = await sim.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Subscription, first.ProviderSubscriptionId), default);
        var snapshot = Assert.IsType<SubscriptionDeleted>(Assert.Single(fetched.Value)).Snapshot;
        Assert.Equal(Assert.Single(Events<SubscriptionDeleted>(parsed)).Snapshot, snapshot);
        Assert.Equal(PaymentsErrors.NotFound, (await sim.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Subscription, "sub_nope"), default)).Error);
    }

    [Fact]
    public async Task Refund_EmitsRefundRecorded_AndRejectsMoreThanCaptured()
    {
        await using var sim = await StartAsync();
        await SubscribeAsync(sim);
        var payment = Assert.Single(Events<PaymentSucceeded>(sim.Parsed())).Payment.ProviderPaymentId;

        var refund = await sim.Port.RefundPaymentAsync(new RefundRequest(payment, 500, "EUR", "requested_by_customer"), "refund-1", default);
        var again = await sim.Port.RefundPaymentAsync(new RefundRequest(payment, 500, "EUR", "requested_by_customer"), "refund-1", default);
        var tooMuch = await sim.Port.RefundPaymentAsync(new RefundRequest(payment, 1401, "EUR", null), "refund-2", default);

        Assert.Equal(refund.Value, again.Value);
        Assert.True(tooMuch.IsFailure);
        var parsed = await sim.WaitForAsync(p => Events<RefundRecorded>(p).Any());
        var recorded = Assert.Single(Events<RefundRecorded>(parsed));
        Assert.Equal((payment, refund.Value.ProviderRefundId, 500L), (recorded.ProviderPaymentId, recorded.ProviderRefundId, recorded.AmountMinor));
        var fetched = await sim.Port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Payment, payment), default);
        Assert.Equal(2, fetched.Value.Count);
    }

    [Fact]
    public async Task ChangeSubscription_ToYearly_EmitsUpdatedSnapshotWithNewPrice()
    {
        await using var sim = await StartAsync();
        var first = await SubscribeAsync(sim);

        var changed = await sim.Port.ChangeSubscriptionAsync(
            new ChangeSubscriptionRequest(first.ProviderSubscriptionId, "sim_price_pro_yearly", 1, ProrationMode.AlwaysInvoice), "change-1", default);

        Assert.True(changed.IsSuccess);
        var parsed = await sim.WaitForAsync(p => Events<SubscriptionChanged>(p).Any(e => e.Snapshot.PriceId == "pro-yearly"));
        Assert.Equal(2, Events<InvoicePaid>(parsed).Count());
    }

    [Fact]
    public async Task Advance_PastCheckoutLifetime_ExpiresOpenSession()
    {
        await using var sim = await StartAsync();
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        await sim.Clock.AdvanceAsync(SimulatorState.CheckoutLifetime + TimeSpan.FromMinutes(1));

        var parsed = await sim.WaitForAsync(p => Events<CheckoutExpired>(p).Any());
        Assert.Equal(sessionId, Assert.Single(Events<CheckoutExpired>(parsed)).ProviderSessionId);
        Assert.Equal(CheckoutAttemptOutcome.Failed, sim.State.SubmitCard(sessionId, "4242424242424242").Outcome);
    }

    private static async Task<(string ProviderSubscriptionId, string CustomerId, DateTimeOffset CurrentPeriodStart, DateTimeOffset CurrentPeriodEnd)> SubscribeAsync(SimulatorHarness sim)
    {
        var (_, customerId, sessionId) = await sim.StartCheckoutAsync();
        Assert.Equal(CheckoutAttemptOutcome.Completed, sim.State.SubmitCard(sessionId, "4242424242424242").Outcome);
        var parsed = await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any() && Events<PaymentSucceeded>(p).Any());
        var snapshot = Assert.Single(Events<SubscriptionChanged>(parsed)).Snapshot;
        return (snapshot.ProviderSubscriptionId, customerId, snapshot.CurrentPeriodStart, snapshot.CurrentPeriodEnd);
    }
}
