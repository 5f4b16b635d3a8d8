using System.Text.Json;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using static Monolith.Infrastructure.Tests.Billing.Simulator.SimulatorHarness;

namespace Monolith.Infrastructure.Tests.Billing.Simulator;

public sealed class SimulatorChaosTests
{
    private static readonly string[] CheckoutTypes =
    [
        SimulatorEventTypes.SubscriptionCreated, SimulatorEventTypes.InvoicePaid, SimulatorEventTypes.PaymentSucceeded,
        SimulatorEventTypes.CheckoutCompleted,
    ];

    [Fact]
    public async Task DuplicatesAndShuffle_DeliverEveryEventAtLeastOnce()
    {
        await using var sim = await StartAsync(new Dictionary<string, string?>
        {
            ["Payments:InMemory:Chaos:Duplicates"] = "true",
            ["Payments:InMemory:Chaos:Shuffle"] = "true",
        });
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        sim.State.SubmitCard(sessionId, "4242424242424242");

        var parsed = await sim.WaitForAsync(p => p.Count == 2 * CheckoutTypes.Length);
        Assert.Equal(CheckoutTypes.Order(StringComparer.Ordinal), parsed.Select(p => p.EventType).Distinct().Order(StringComparer.Ordinal));
        Assert.All(parsed.GroupBy(p => p.EventId), g => Assert.Equal(2, g.Count()));
        Assert.All(parsed.GroupBy(p => p.EventId), g => Assert.Single(g.Select(p => p.Events!.Single()).Distinct()));
    }

    [Fact]
    public async Task FailFirstN_IsRetriedUntilDelivered_WithTheSameEventIdAndBody()
    {
        await using var sim = await StartAsync(new Dictionary<string, string?> { ["Payments:InMemory:Chaos:FailFirstDeliveries"] = "3" });
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        sim.State.SubmitCard(sessionId, "4242424242424242");

        var parsed = await sim.WaitForAsync(p => p.Count == CheckoutTypes.Length);
        Assert.Equal(CheckoutTypes.Length, parsed.Select(p => p.EventId).Distinct().Count());
        // The receiver sees an event just before the dispatcher logs its delivery: wait for the log to catch up.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (sim.Dispatcher.RecentDeliveries.Count(d => d.Delivered) < CheckoutTypes.Length && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var deliveries = sim.Dispatcher.RecentDeliveries;
        Assert.Equal(3, deliveries.Count(d => !d.Delivered));
        Assert.All(deliveries.Where(d => !d.Delivered), d => Assert.Contains(deliveries, ok => ok.Delivered && ok.EventId == d.EventId && ok.Attempt > d.Attempt));
    }

    [Fact]
    public async Task ReceiverAnswering500_IsRetriedWithBackoffUntilDelivered()
    {
        await using var sim = await StartAsync(receiverFailsFirst: 2);
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        sim.State.SubmitCard(sessionId, "4242424242424242");

        var parsed = await sim.WaitForAsync(p => p.Count == CheckoutTypes.Length);
        Assert.Equal(2, sim.Receiver.Rejected);
        Assert.Contains(sim.Dispatcher.RecentDeliveries, d => !d.Delivered && d.Outcome == "HTTP 500");
        // A 500 is the receiver's verdict: the HTTP pipeline does not re-send it, the provider-style schedule does.
        Assert.All(sim.Dispatcher.RecentDeliveries, d => Assert.Equal(0, d.HttpRetries));
        Assert.Single(Events<CheckoutCompleted>(parsed));
    }

    [Fact]
    public async Task ReceiverAnswering503ThenOk_IsReSentByTheResiliencePipeline_WithinTheFirstAttempt()
    {
        await using var sim = await StartAsync(receiverFailsFirst: 1, receiverFailStatus: 503);
        var (_, _, sessionId) = await sim.StartCheckoutAsync();

        sim.State.SubmitCard(sessionId, "4242424242424242");

        await sim.WaitForAsync(p => p.Count == CheckoutTypes.Length);
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (sim.Dispatcher.RecentDeliveries.Count(d => d.Delivered) < CheckoutTypes.Length && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal([503, 200], sim.Receiver.Answers.Take(2));
        var deliveries = sim.Dispatcher.RecentDeliveries;
        Assert.All(deliveries, d => Assert.True(d.Delivered && d.Attempt == 1, $"{d.EventType}: attempt {d.Attempt}, {d.Outcome}"));
        var retried = Assert.Single(deliveries, d => d.HttpRetries > 0);
        Assert.Equal(1, retried.HttpRetries);
        Assert.Equal("HTTP 200", retried.Outcome);
        Assert.Equal(CheckoutTypes.Length, deliveries.Count);
    }

    [Fact]
    public async Task Delivery_CreatedIsUnixSecondsAndDataIsTheSimulatorsShape()
    {
        await using var sim = await StartAsync();
        var (_, _, sessionId) = await sim.StartCheckoutAsync();
        sim.State.SubmitCard(sessionId, "4242424242424242");
        await sim.WaitForAsync(p => p.Count == CheckoutTypes.Length);

        using var json = JsonDocument.Parse(sim.Receiver.Received.First().Body);
        Assert.StartsWith("evt_", json.RootElement.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("created").ValueKind);
        Assert.True(json.RootElement.GetProperty("data").TryGetProperty("object", out _));
    }
}
