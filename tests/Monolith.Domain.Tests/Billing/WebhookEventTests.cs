using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Domain.Tests.Billing;

public sealed class WebhookEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(WebhookEventStatus.Received, WebhookEventStatus.Applied, true)]
    [InlineData(WebhookEventStatus.Received, WebhookEventStatus.Ignored, true)]
    [InlineData(WebhookEventStatus.Received, WebhookEventStatus.Parked, true)]
    [InlineData(WebhookEventStatus.Received, WebhookEventStatus.Failed, true)]
    [InlineData(WebhookEventStatus.Parked, WebhookEventStatus.Applied, true)]
    [InlineData(WebhookEventStatus.Parked, WebhookEventStatus.Parked, false)]
    [InlineData(WebhookEventStatus.Failed, WebhookEventStatus.Failed, true)]
    [InlineData(WebhookEventStatus.Failed, WebhookEventStatus.Applied, true)]
    [InlineData(WebhookEventStatus.Applied, WebhookEventStatus.Failed, false)]
    [InlineData(WebhookEventStatus.Applied, WebhookEventStatus.Applied, false)]
    [InlineData(WebhookEventStatus.Ignored, WebhookEventStatus.Applied, false)]
    [InlineData(WebhookEventStatus.Applied, WebhookEventStatus.Received, false)]
    public void IsAllowed_Transition_MatchesTable(WebhookEventStatus from, WebhookEventStatus to, bool allowed)
    {
        Assert.Equal(allowed, WebhookEventTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void MarkFailed_ThenApplied_CountsAttemptsAndClearsError()
    {
        var webhookEvent = Receive();

        webhookEvent.MarkFailed("database timeout", T0.AddSeconds(1));
        Assert.Equal("database timeout", webhookEvent.Error);
        webhookEvent.MarkApplied(T0.AddSeconds(10));

        Assert.Equal(WebhookEventStatus.Applied, webhookEvent.Status);
        Assert.Equal(2, webhookEvent.Attempts);
        Assert.Null(webhookEvent.Error);
    }

    [Fact]
    public void MarkFailed_AfterApplied_IsRefused()
    {
        var webhookEvent = Receive();
        webhookEvent.MarkApplied(T0);

        Assert.Equal("billing.webhook.transition_not_allowed", webhookEvent.MarkFailed("late", T0).Error!.Code);
        Assert.Equal(WebhookEventStatus.Applied, webhookEvent.Status);
    }

    [Fact]
    public void Receive_WithoutEventId_FailsValidation()
    {
        Assert.Equal(WebhookErrors.EventIdRequired, WebhookEvent.Receive(Guid.NewGuid(), "stripe", " ", "t", "{}", T0).Error);
    }

    private static WebhookEvent Receive() =>
        WebhookEvent.Receive(Guid.NewGuid(), "stripe", "evt_1", "invoice.paid", "{}", T0).Value;
}
