using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Domain.Tests.Billing;

public sealed class SubscriptionTrialEndingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Subscription Started(SubscriptionStatus status, DateTimeOffset? trialEnd)
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Guid.NewGuid(), "stripe",
            new SubscriptionSnapshot("sub_1", status, "pro-monthly", "pro", 1, T0, T0.AddDays(14), trialEnd, false, null, null, T0), isAddOn: false, accountSubscriptions: []).Value;
        subscription.ClearDomainEvents();
        return subscription;
    }

    [Fact]
    public void NoteTrialEnding_WhileTrialing_RaisesTheNoticeWithoutChangingStatus()
    {
        var subscription = Started(SubscriptionStatus.Trialing, T0.AddDays(14));

        Assert.True(subscription.NoteTrialEnding(T0.AddDays(11)).IsSuccess);

        var notice = Assert.IsType<SubscriptionTrialEnding>(Assert.Single(subscription.DomainEvents));
        Assert.Equal((subscription.Id, "pro", T0.AddDays(14), T0.AddDays(11)), (notice.SubscriptionId, notice.PlanId, notice.TrialEnd, notice.OccurredAt));
        Assert.Equal(SubscriptionStatus.Trialing, subscription.Status);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Active)]
    [InlineData(SubscriptionStatus.Canceled)]
    public void NoteTrialEnding_WhenNotTrialing_IsRefusedAndRaisesNothing(SubscriptionStatus status)
    {
        var subscription = Started(status, T0.AddDays(14));

        var noted = subscription.NoteTrialEnding(T0.AddDays(11));

        Assert.Equal(SubscriptionErrors.NotTrialing.Code, noted.Error!.Code);
        Assert.Empty(subscription.DomainEvents);
    }

    [Fact]
    public void NoteTrialEnding_WithoutATrialEnd_IsRefused()
    {
        var subscription = Started(SubscriptionStatus.Trialing, null);

        Assert.Equal(SubscriptionErrors.NotTrialing.Code, subscription.NoteTrialEnding(T0).Error!.Code);
    }
}
