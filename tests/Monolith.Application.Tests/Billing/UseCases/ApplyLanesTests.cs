using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Webhooks.ApplyReceivedWebhooks;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Application.Tests.Billing.UseCases;

/// <summary>How the background applier splits received events into concurrent lanes.</summary>
public sealed class ApplyLanesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryEventOfOneCustomer_LandsInTheSameLane_AndCustomersSpreadOverTheLanes()
    {
        var customers = Enumerable.Range(0, 64).Select(i => $"cus_{i:D4}").ToList();

        var lanes = customers.Select(c => ApplyLanes.LaneOf([Checkout(c)], 4)).ToList();
        var laterEvents = customers.Select(c => ApplyLanes.LaneOf([Checkout(c) with { ProviderEventId = "evt_later", ProviderSessionId = "cs_other" }], 4)).ToList();

        Assert.Equal(lanes, laterEvents);
        Assert.All(lanes, l => Assert.InRange(l, 0, 3));
        Assert.Equal(4, lanes.Distinct().Count());
    }

    [Fact]
    public void OneLane_OrNoKey_IsLaneZero()
    {
        Assert.Equal(0, ApplyLanes.LaneOf([Checkout("cus_x")], 1));
        Assert.Equal(0, ApplyLanes.LaneOf([], 4));
    }

    [Fact]
    public void TheKey_IsTheCustomer_OrTheObjectWhenThereIsNone()
    {
        Assert.Equal("cus_a", ApplyLanes.KeyOf(Checkout("cus_a")));
        Assert.Equal("pi_9", ApplyLanes.KeyOf(new RefundRecorded("stripe", "evt_r", At, "pi_9", "re_1", 100, "eur", null, At)));
    }

    private static CheckoutCompleted Checkout(string customer) =>
        new("stripe", $"evt_{customer}", At, $"cs_{customer}", customer, null, CheckoutMode.Subscription, null);
}
