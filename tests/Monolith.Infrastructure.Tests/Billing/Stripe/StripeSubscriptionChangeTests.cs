using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// Plan changes and cancellation against the fake Stripe: period-end changes through a subscription schedule,
/// immediate changes and cancels releasing it, and an immediate cancel that converges when its answer was lost.
/// </summary>
public sealed class StripeSubscriptionChangeTests
{
    private const string Sub = FakeStripe.SubscriptionId;

    [Fact]
    public async Task ChangeAtPeriodEnd_CreatesAScheduleWhoseSecondPhaseHasTheNewPrice()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var before = stripe.Fake.Subscription;

        var result = await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-down", default);

        Assert.True(result.IsSuccess, result.Error?.Code);
        var create = Assert.Single(stripe.Fake.To("POST", "/v1/subscription_schedules"));
        Assert.Equal((Sub, "k-down-schedule"), (create["from_subscription"], create.Header("Idempotency-Key")));
        var scheduleId = stripe.Fake.Subscription["schedule"]!.GetValue<string>();
        var update = Assert.Single(stripe.Fake.To("POST", "/v1/subscription_schedules/" + scheduleId));
        Assert.Equal("k-down-phases", update.Header("Idempotency-Key"));
        Assert.Equal("release", update["end_behavior"]);
        var item = before["items"]!["data"]![0]!;
        Assert.Equal(
            (FakeStripe.ProMonthly, "1", item["current_period_start"]!.ToString(), item["current_period_end"]!.ToString(), "none"),
            (update["phases[0][items][0][price]"], update["phases[0][items][0][quantity]"], update["phases[0][start_date]"], update["phases[0][end_date]"],
                update["phases[0][proration_behavior]"]));
        Assert.Equal((FakeStripe.TeamMonthly, "2", "none"), (update["phases[1][items][0][price]"], update["phases[1][items][0][quantity]"], update["phases[1][proration_behavior]"]));
        // Nothing changes now: the subscription still bills the current price.
        Assert.Empty(stripe.Fake.To("POST", "/v1/subscriptions/" + Sub));
        Assert.Equal(FakeStripe.ProMonthly, stripe.Fake.Subscription["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>());

        stripe.Fake.EndPeriod(Sub);

        var after = stripe.Fake.Subscription["items"]!["data"]![0]!;
        Assert.Equal((FakeStripe.TeamMonthly, 2), (after["price"]!["id"]!.GetValue<string>(), after["quantity"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ChangeAtPeriodEnd_Twice_RewritesTheExistingScheduleAndTheLastChangeWins()
    {
        await using var stripe = await StripeHarness.StartAsync();

        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-1", default)).IsSuccess);
        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.ProYearly, 1), "k-2", default)).IsSuccess);

        Assert.Single(stripe.Fake.To("POST", "/v1/subscription_schedules"));
        var scheduleId = stripe.Fake.Subscription["schedule"]!.GetValue<string>();
        Assert.Single(stripe.Fake.To("GET", "/v1/subscription_schedules/" + scheduleId));
        var phases = stripe.Fake.Schedule(scheduleId)!["phases"]!.AsArray();
        Assert.Equal(FakeStripe.ProYearly, phases[1]!["items"]![0]!["price"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChangeAtPeriodEnd_RetriedWithTheSameKey_ChangesNothingMore()
    {
        await using var stripe = await StripeHarness.StartAsync();

        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-same", default)).IsSuccess);
        var schedule = stripe.Fake.Schedule(stripe.Fake.Subscription["schedule"]!.GetValue<string>())!.ToJsonString();
        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-same", default)).IsSuccess);

        Assert.Single(stripe.Fake.To("POST", "/v1/subscription_schedules"));
        Assert.Equal(schedule, stripe.Fake.Schedule(stripe.Fake.Subscription["schedule"]!.GetValue<string>())!.ToJsonString());
    }

    [Fact]
    public async Task ChangeNow_WithAPendingPeriodEndChange_ReleasesTheScheduleFirst()
    {
        await using var stripe = await StripeHarness.StartAsync();
        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-down", default)).IsSuccess);
        var scheduleId = stripe.Fake.Subscription["schedule"]!.GetValue<string>();

        var result = await stripe.Port.ChangeSubscriptionAsync(
            new ChangeSubscriptionRequest(Sub, FakeStripe.TeamYearly, 3, ProrationMode.AlwaysInvoice), "k-up", default);

        Assert.True(result.IsSuccess, result.Error?.Code);
        var release = Assert.Single(stripe.Fake.To("POST", $"/v1/subscription_schedules/{scheduleId}/release"));
        Assert.Equal("k-up-release", release.Header("Idempotency-Key"));
        Assert.Equal("released", stripe.Fake.Schedule(scheduleId)!["status"]!.GetValue<string>());
        var item = stripe.Fake.Subscription["items"]!["data"]![0]!;
        Assert.Equal((FakeStripe.TeamYearly, 3), (item["price"]!["id"]!.GetValue<string>(), item["quantity"]!.GetValue<int>()));
        Assert.Null(stripe.Fake.Subscription["schedule"]);
    }

    [Fact]
    public async Task CancelAtPeriodEnd_WithAPendingPeriodEndChange_ReleasesTheScheduleAndCancels()
    {
        await using var stripe = await StripeHarness.StartAsync();
        Assert.True((await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 2), "k-down", default)).IsSuccess);

        var result = await stripe.Port.CancelSubscriptionAsync(Sub, atPeriodEnd: true, "k-cancel", default);

        Assert.True(result.IsSuccess, result.Error?.Code);
        Assert.True(stripe.Fake.Subscription["cancel_at_period_end"]!.GetValue<bool>());
        Assert.Null(stripe.Fake.Subscription["schedule"]);
    }

    [Fact]
    public async Task ChangeAtPeriodEnd_OfASubscriptionSetToCancel_IsRefusedWithAStableCode()
    {
        await using var stripe = await StripeHarness.StartAsync();
        Assert.True((await stripe.Port.CancelSubscriptionAsync(Sub, atPeriodEnd: true, "k-cancel", default)).IsSuccess);

        var result = await stripe.Port.ChangeSubscriptionAsync(Downgrade(FakeStripe.TeamMonthly, 1), "k-down", default);

        Assert.Equal(StripePaymentsPort.CancelScheduled, result.Error);
        Assert.Empty(stripe.Fake.To("POST", "/v1/subscription_schedules"));
    }

    [Fact]
    public async Task CancelNow_CarriesAKey_AndARepeatAfterALostAnswerIsStillASuccess()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var first = await stripe.Port.CancelSubscriptionAsync(Sub, atPeriodEnd: false, "k-now", default);
        var repeat = await stripe.Port.CancelSubscriptionAsync(Sub, atPeriodEnd: false, "k-now", default);

        Assert.True(first.IsSuccess, first.Error?.Code);
        Assert.True(repeat.IsSuccess, repeat.Error?.Code);
        var deletes = stripe.Fake.To("DELETE", "/v1/subscriptions/" + Sub);
        Assert.Equal(2, deletes.Length);
        Assert.All(deletes, d => Assert.Equal("k-now", d.Header("Idempotency-Key")));
        Assert.Equal("canceled", stripe.Fake.Subscription["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CancelNow_RefusedForALiveSubscription_IsStillAnError()
    {
        await using var stripe = await StripeHarness.StartAsync();
        stripe.Fake.Answer("/v1/subscriptions/sub_other", 400, """{"error":{"type":"invalid_request_error","message":"nope"}}""");

        var result = await stripe.Port.CancelSubscriptionAsync("sub_other", atPeriodEnd: false, "k-now", default);

        Assert.Equal("billing.provider.invalid_request", result.Error!.Code);
    }

    private static ChangeSubscriptionRequest Downgrade(string priceId, int quantity) =>
        new(Sub, priceId, quantity, ProrationMode.None, AtPeriodEnd: true);
}
