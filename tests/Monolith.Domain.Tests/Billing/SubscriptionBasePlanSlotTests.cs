using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Domain.Tests.Billing;

/// <summary>At most one live base-plan subscription per billing account; add-ons coexist; a second one is a recorded duplicate.</summary>
public sealed class SubscriptionBasePlanSlotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Account = Guid.NewGuid();

    public static TheoryData<SubscriptionStatus> LiveStatuses() =>
    [
        SubscriptionStatus.Trialing, SubscriptionStatus.Active, SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid,
        SubscriptionStatus.Paused, SubscriptionStatus.Incomplete,
    ];

    [Theory]
    [MemberData(nameof(LiveStatuses))]
    public void Start_SecondBasePlanWhileOneIsLive_IsRecordedAsADuplicateOfTheLiveOne(SubscriptionStatus liveStatus)
    {
        var first = Start("sub_1", liveStatus, isAddOn: false, []);

        var second = Start("sub_2", SubscriptionStatus.Active, isAddOn: false, [first]);

        Assert.True(first.HoldsBasePlanSlot);
        Assert.Equal(first.Id, second.DuplicateOf);
        Assert.False(second.HoldsBasePlanSlot);
        var detected = Assert.Single(second.DomainEvents.OfType<DuplicateSubscriptionDetected>());
        Assert.Equal((second.Id, first.Id, "sub_2", "team"), (detected.SubscriptionId, detected.KeptSubscriptionId, detected.ProviderSubscriptionId, detected.PlanId));
        Assert.Same(first, Subscription.FindLiveBasePlan([first, second]));
    }

    [Theory]
    [InlineData(SubscriptionStatus.Canceled)]
    [InlineData(SubscriptionStatus.IncompleteExpired)]
    public void Start_AfterTheEarlierOneEnded_TakesTheSlot(SubscriptionStatus ended)
    {
        var first = Start("sub_1", SubscriptionStatus.Incomplete, isAddOn: false, []);
        Assert.True(first.ApplySnapshot(Snap("sub_1", ended, T0.AddHours(1))).IsSuccess);

        var second = Start("sub_2", SubscriptionStatus.Active, isAddOn: false, [first]);

        Assert.Null(second.DuplicateOf);
        Assert.True(second.HoldsBasePlanSlot);
        Assert.Empty(second.DomainEvents.OfType<DuplicateSubscriptionDetected>());
    }

    [Fact]
    public void Start_AddOnBesideALiveBasePlan_CoexistsWithoutTakingTheSlot()
    {
        var basePlan = Start("sub_1", SubscriptionStatus.Active, isAddOn: false, []);

        var addOn = Start("sub_2", SubscriptionStatus.Active, isAddOn: true, [basePlan]);

        Assert.Null(addOn.DuplicateOf);
        Assert.True(addOn.IsAddOn);
        Assert.False(addOn.HoldsBasePlanSlot);
        Assert.Same(basePlan, Subscription.FindLiveBasePlan([addOn, basePlan]));
    }

    [Fact]
    public void Start_BasePlanBesideOnlyAnAddOn_TakesTheSlot()
    {
        var addOn = Start("sub_1", SubscriptionStatus.Active, isAddOn: true, []);

        var basePlan = Start("sub_2", SubscriptionStatus.Active, isAddOn: false, [addOn]);

        Assert.Null(basePlan.DuplicateOf);
        Assert.Same(basePlan, Subscription.FindLiveBasePlan([addOn, basePlan]));
    }

    [Fact]
    public void Start_ALiveSubscriptionOfAnotherAccount_DoesNotCount()
    {
        var elsewhere = Subscription.Start(Guid.NewGuid(), Guid.NewGuid(), "stripe", Snap("sub_1", SubscriptionStatus.Active, T0), false, []).Value;

        var mine = Start("sub_2", SubscriptionStatus.Active, isAddOn: false, [elsewhere]);

        Assert.Null(mine.DuplicateOf);
    }

    [Fact]
    public void FindLiveBasePlan_OnlyEndedOrDuplicateSubscriptions_IsNone()
    {
        var first = Start("sub_1", SubscriptionStatus.Active, isAddOn: false, []);
        var duplicate = Start("sub_2", SubscriptionStatus.Active, isAddOn: false, [first]);
        Assert.True(first.ApplySnapshot(Snap("sub_1", SubscriptionStatus.Canceled, T0.AddHours(1))).IsSuccess);

        Assert.Null(Subscription.FindLiveBasePlan([first, duplicate]));
    }

    private static Subscription Start(string providerId, SubscriptionStatus status, bool isAddOn, IEnumerable<Subscription> others) =>
        Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(providerId, status, T0), isAddOn, others).Value;

    private static SubscriptionSnapshot Snap(string providerId, SubscriptionStatus status, DateTimeOffset at) =>
        new(providerId, status, "team-monthly", "team", 1, T0, T0.AddDays(30), status == SubscriptionStatus.Trialing ? T0.AddDays(14) : null,
            false, SubscriptionTransitions.IsTerminal(status) ? at : null, SubscriptionTransitions.IsTerminal(status) ? at : null, at);
}
