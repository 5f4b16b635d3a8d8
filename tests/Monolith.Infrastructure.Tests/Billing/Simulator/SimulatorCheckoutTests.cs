using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using static Monolith.Infrastructure.Tests.Billing.Simulator.SimulatorHarness;

namespace Monolith.Infrastructure.Tests.Billing.Simulator;

public sealed class SimulatorCheckoutTests
{
    [Fact]
    public async Task Checkout_With4242_DeliversSignedEventsOverHttp()
    {
        await using var sim = await StartAsync();
        var (accountId, customerId, sessionId) = await sim.StartCheckoutAsync();

        var attempt = sim.State.SubmitCard(sessionId, "4242 4242 4242 4242");

        Assert.Equal(CheckoutAttemptOutcome.Completed, attempt.Outcome);
        Assert.Equal($"https://app.example.test/billing/success?session_id={sessionId}", attempt.RedirectTo!.ToString());
        var parsed = await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any() && Events<PaymentSucceeded>(p).Any());
        Assert.All(sim.Receiver.Received, r => Assert.StartsWith("t=", r.Headers[SimulatorWebhookSigner.HeaderName], StringComparison.Ordinal));

        var completed = Assert.Single(Events<CheckoutCompleted>(parsed));
        var subscription = Assert.Single(Events<SubscriptionChanged>(parsed));
        var invoice = Assert.Single(Events<InvoicePaid>(parsed));
        var payment = Assert.Single(Events<PaymentSucceeded>(parsed));
        Assert.Equal((sessionId, customerId, accountId, CheckoutMode.Subscription), (completed.ProviderSessionId, completed.CustomerId, completed.ClientReferenceAccountId, completed.Mode));
        Assert.Equal(subscription.Snapshot.ProviderSubscriptionId, completed.ProviderResultId);
        Assert.Equal((SubscriptionStatus.Active, "pro-monthly", "pro", accountId), (subscription.Snapshot.Status, subscription.Snapshot.PriceId, subscription.Snapshot.PlanId, subscription.MetadataAccountId));
        Assert.Equal(subscription.Snapshot.CurrentPeriodStart.AddMonths(1), subscription.Snapshot.CurrentPeriodEnd);
        Assert.Equal((1900L, 1900L, "EUR", accountId), (invoice.Invoice.AmountDueMinor, invoice.AmountPaidMinor, invoice.Invoice.Currency, invoice.MetadataAccountId));
        Assert.Equal(subscription.Snapshot.ProviderSubscriptionId, invoice.Invoice.ProviderSubscriptionId);
        Assert.Equal((1900L, PaymentKind.Invoice, invoice.Invoice.ProviderInvoiceId, 1900L), (payment.Payment.AmountMinor, payment.Payment.Kind, payment.Payment.ProviderInvoiceId, payment.CapturedMinor));
        Assert.Equal(parsed.Count, parsed.Select(p => p.EventId).Distinct().Count());
    }

    [Theory]
    [InlineData("4000 0000 0000 0002", "card_declined")]
    [InlineData("4000000000009995", "insufficient_funds")]
    public async Task Checkout_WithFailingCard_GrantsNothingAndReportsPaymentFailed(string card, string code)
    {
        await using var sim = await StartAsync();
        var (accountId, customerId, sessionId) = await sim.StartCheckoutAsync();

        var attempt = sim.State.SubmitCard(sessionId, card);

        Assert.Equal(CheckoutAttemptOutcome.Failed, attempt.Outcome);
        var parsed = await sim.WaitForAsync(p => Events<PaymentFailed>(p).Any());
        var failed = Assert.Single(Events<PaymentFailed>(parsed));
        Assert.Equal((code, accountId, 1900L), (failed.FailureCode, failed.MetadataAccountId, failed.Payment.AmountMinor));
        Assert.Empty(Events<SubscriptionChanged>(parsed));
        Assert.Empty(Events<CheckoutCompleted>(parsed));
        Assert.Empty(sim.State.FindCustomer(customerId)!.Subscriptions);
        Assert.Equal("open", sim.State.FindCheckout(sessionId)!.Status);

        Assert.Equal(CheckoutAttemptOutcome.Completed, sim.State.SubmitCard(sessionId, "4242424242424242").Outcome);
        await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any());
    }

    [Fact]
    public async Task Checkout_With3155_RequiresTheConfirmStep()
    {
        await using var sim = await StartAsync();
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        var first = sim.State.SubmitCard(sessionId, "4000 0025 0000 3155");

        Assert.Equal(CheckoutAttemptOutcome.RequiresAuthentication, first.Outcome);
        Assert.True(sim.State.FindCheckout(sessionId)!.AwaitingAuthentication);
        Assert.Equal("open", sim.State.FindCheckout(sessionId)!.Status);

        var confirmed = sim.State.CompleteAuthentication(sessionId, approve: true);

        Assert.Equal(CheckoutAttemptOutcome.Completed, confirmed.Outcome);
        var parsed = await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any() && Events<PaymentSucceeded>(p).Any());
        Assert.Equal(SubscriptionStatus.Active, Assert.Single(Events<SubscriptionChanged>(parsed)).Snapshot.Status);
    }

    [Fact]
    public async Task Checkout_WithTrial_StartsTrialingWithZeroInvoiceThenChargesAtTrialEnd()
    {
        await using var sim = await StartAsync();
        var (_, _, sessionId) = await sim.StartCheckoutAsync(trialDays: 14);
        sim.State.SubmitCard(sessionId, "4242424242424242");
        var parsed = await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any());
        var trial = Assert.Single(Events<SubscriptionChanged>(parsed)).Snapshot;
        Assert.Equal(SubscriptionStatus.Trialing, trial.Status);
        Assert.Equal(trial.CurrentPeriodEnd, trial.TrialEnd);
        Assert.Equal(0, Assert.Single(Events<InvoicePaid>(parsed)).AmountPaidMinor);

        await sim.Clock.AdvanceAsync(TimeSpan.FromDays(15));

        parsed = await sim.WaitForAsync(p => Events<InvoicePaid>(p).Count() == 2 && Events<SubscriptionChanged>(p).Count() == 2);
        var active = Events<SubscriptionChanged>(parsed).Select(e => e.Snapshot).Single(s => s.Status == SubscriptionStatus.Active);
        Assert.Equal(trial.CurrentPeriodEnd, active.CurrentPeriodStart);
        Assert.True(active.SnapshotAt > trial.SnapshotAt);
        Assert.Contains(Events<InvoicePaid>(parsed), i => i.AmountPaidMinor == 1900);
    }

    [Fact]
    public async Task Checkout_OneTimePrice_CompletesWithPayment()
    {
        await using var sim = await StartAsync();
        var (_, _, sessionId) = await sim.StartCheckoutAsync(Lifetime);
        sim.State.SubmitCard(sessionId, "4242424242424242");
        var parsed = await sim.WaitForAsync(p => Events<CheckoutCompleted>(p).Any());
        var payment = Assert.Single(Events<PaymentSucceeded>(parsed));
        var completed = Assert.Single(Events<CheckoutCompleted>(parsed));
        Assert.Equal((CheckoutMode.Payment, payment.Payment.ProviderPaymentId), (completed.Mode, completed.ProviderResultId));
        Assert.Equal((PaymentKind.OneTime, 9900L), (payment.Payment.Kind, payment.CapturedMinor));
    }

    [Fact]
    public async Task CreateCheckoutSession_SameIdempotencyKey_ReturnsTheSameSession()
    {
        await using var sim = await StartAsync();
        var customerRequest = new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), null, null);
        var customer = (await sim.Port.CreateCustomerAsync(customerRequest, "c1", default)).Value;
        Assert.Equal(customer, (await sim.Port.CreateCustomerAsync(customerRequest, "c1", default)).Value);
        var request = new CreateCheckoutRequest(Guid.NewGuid(), customer, CheckoutMode.Subscription, ProMonthly, 1, null,
            new Uri("http://localhost:5265/billing/success"), new Uri("http://localhost:5265/billing/canceled"));

        var first = await sim.Port.CreateCheckoutSessionAsync(request, "key-1", default);
        var again = await sim.Port.CreateCheckoutSessionAsync(request, "key-1", default);
        var other = await sim.Port.CreateCheckoutSessionAsync(request, "key-2", default);
        var misuse = await sim.Port.CreateCheckoutSessionAsync(request with { Quantity = 2 }, "key-1", default);

        Assert.Equal(first.Value, again.Value);
        Assert.NotEqual(first.Value.ProviderSessionId, other.Value.ProviderSessionId);
        Assert.Equal("billing.provider.invalid_request", misuse.Error!.Code);
        Assert.Equal(new Uri($"http://localhost:5265/_simulator/checkout/{first.Value.ProviderSessionId}"), first.Value.Url);
    }

    [Fact]
    public async Task CreateCheckoutSession_UnknownPrice_IsInvalidRequest()
    {
        await using var sim = await StartAsync();
        var customer = (await sim.Port.CreateCustomerAsync(new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), null, null), "c1", default)).Value;
        var result = await sim.Port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(Guid.NewGuid(), customer, CheckoutMode.Subscription, "sim_price_nope", 1, null,
                new Uri("http://localhost/s"), new Uri("http://localhost/c")), "k", default);
        Assert.Equal("billing.provider.invalid_request", result.Error!.Code);
    }
}
