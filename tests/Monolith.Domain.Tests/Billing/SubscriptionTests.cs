using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Domain.Tests.Billing;

public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Account = Guid.NewGuid();

    public static TheoryData<SubscriptionStatus, SubscriptionStatus> AllowedTransitions() => new()
    {
        { SubscriptionStatus.Incomplete, SubscriptionStatus.Trialing },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.Active },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.PastDue },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.Unpaid },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.Paused },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.Canceled },
        { SubscriptionStatus.Incomplete, SubscriptionStatus.IncompleteExpired },
        { SubscriptionStatus.Trialing, SubscriptionStatus.Active },
        { SubscriptionStatus.Trialing, SubscriptionStatus.PastDue },
        { SubscriptionStatus.Trialing, SubscriptionStatus.Unpaid },
        { SubscriptionStatus.Trialing, SubscriptionStatus.Paused },
        { SubscriptionStatus.Trialing, SubscriptionStatus.Canceled },
        { SubscriptionStatus.Active, SubscriptionStatus.PastDue },
        { SubscriptionStatus.Active, SubscriptionStatus.Unpaid },
        { SubscriptionStatus.Active, SubscriptionStatus.Paused },
        { SubscriptionStatus.Active, SubscriptionStatus.Canceled },
        { SubscriptionStatus.PastDue, SubscriptionStatus.Active },
        { SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid },
        { SubscriptionStatus.PastDue, SubscriptionStatus.Paused },
        { SubscriptionStatus.PastDue, SubscriptionStatus.Canceled },
        { SubscriptionStatus.Unpaid, SubscriptionStatus.Active },
        { SubscriptionStatus.Unpaid, SubscriptionStatus.PastDue },
        { SubscriptionStatus.Unpaid, SubscriptionStatus.Paused },
        { SubscriptionStatus.Unpaid, SubscriptionStatus.Canceled },
        { SubscriptionStatus.Paused, SubscriptionStatus.Active },
        { SubscriptionStatus.Paused, SubscriptionStatus.PastDue },
        { SubscriptionStatus.Paused, SubscriptionStatus.Unpaid },
        { SubscriptionStatus.Paused, SubscriptionStatus.Canceled },
    };

    public static TheoryData<SubscriptionStatus, SubscriptionStatus> RefusedTransitions()
    {
        var allowed = AllowedTransitions().Select(row => ((SubscriptionStatus)row[0], (SubscriptionStatus)row[1])).ToHashSet();
        var refused = new TheoryData<SubscriptionStatus, SubscriptionStatus>();
        foreach (var from in Enum.GetValues<SubscriptionStatus>())
        {
            foreach (var to in Enum.GetValues<SubscriptionStatus>().Where(to => to != from && !allowed.Contains((from, to))))
            {
                refused.Add(from, to);
            }
        }

        return refused;
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void IsAllowed_ListedTransition_IsTrue(SubscriptionStatus from, SubscriptionStatus to)
    {
        Assert.True(SubscriptionTransitions.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void IsAllowed_UnlistedTransition_IsFalse(SubscriptionStatus from, SubscriptionStatus to)
    {
        Assert.False(SubscriptionTransitions.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void ApplySnapshot_AllowedTransition_MovesAndRaisesOneStatusEvent(SubscriptionStatus from, SubscriptionStatus to)
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(from, T0), isAddOn: false, accountSubscriptions: []).Value;
        var before = subscription.DomainEvents.Count;

        var result = subscription.ApplySnapshot(Snap(to, T0.AddMinutes(1)));

        Assert.Equal(SnapshotApplication.Applied, result.Value);
        Assert.Equal(to, subscription.Status);
        Assert.Equal(before + 1, subscription.DomainEvents.Count);
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void ApplySnapshot_RefusedTransition_FailsWithoutChange(SubscriptionStatus from, SubscriptionStatus to)
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(from, T0), isAddOn: false, accountSubscriptions: []).Value;
        var isTerminal = SubscriptionTransitions.IsTerminal(from) && !SubscriptionTransitions.IsTerminal(to);

        var result = subscription.ApplySnapshot(Snap(to, T0.AddMinutes(1)));

        if (isTerminal)
        {
            Assert.Equal(SnapshotApplication.Stale, result.Value);
        }
        else
        {
            Assert.Equal("billing.subscription.transition_not_allowed", result.Error!.Code);
        }

        Assert.Equal(from, subscription.Status);
        Assert.Equal(T0, subscription.LastSnapshotAt);
    }

    [Fact]
    public void Start_WithTrialingSnapshot_RaisesCreatedThenTrialStarted()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(SubscriptionStatus.Trialing, T0), isAddOn: false, accountSubscriptions: []).Value;

        Assert.Collection(
            subscription.DomainEvents,
            e => Assert.IsType<SubscriptionCreated>(e),
            e => Assert.IsType<SubscriptionTrialStarted>(e));
    }

    [Fact]
    public void ApplySnapshot_OlderThanApplied_IsStaleAndChangesNothing()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(SubscriptionStatus.PastDue, T0.AddDays(1)), isAddOn: false, accountSubscriptions: []).Value;

        var result = subscription.ApplySnapshot(Snap(SubscriptionStatus.Active, T0));

        Assert.Equal(SnapshotApplication.Stale, result.Value);
        Assert.Equal(SubscriptionStatus.PastDue, subscription.Status);
    }

    [Fact]
    public void ApplySnapshot_SameSnapshotTwice_SecondIsStale()
    {
        var snapshot = Snap(SubscriptionStatus.Active, T0);
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", snapshot, isAddOn: false, accountSubscriptions: []).Value;
        var before = subscription.DomainEvents.Count;

        Assert.Equal(SnapshotApplication.Stale, subscription.ApplySnapshot(snapshot).Value);
        Assert.Equal(before, subscription.DomainEvents.Count);
    }

    [Fact]
    public void ApplySnapshot_CanceledOlderThanLive_StillWins()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(SubscriptionStatus.Active, T0.AddDays(2)), isAddOn: false, accountSubscriptions: []).Value;

        var result = subscription.ApplySnapshot(Snap(SubscriptionStatus.Canceled, T0.AddDays(1)));

        Assert.Equal(SnapshotApplication.Applied, result.Value);
        Assert.Equal(SubscriptionStatus.Canceled, subscription.Status);
        Assert.IsType<SubscriptionCanceled>(subscription.DomainEvents[^1]);
    }

    [Fact]
    public void ApplySnapshot_PriceChangeAndRenewalAndSchedule_RaiseOneEventEach()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(SubscriptionStatus.Active, T0), isAddOn: false, accountSubscriptions: []).Value;
        subscription.ClearDomainEvents();

        var next = Snap(SubscriptionStatus.Active, T0.AddDays(30)) with
        {
            PriceId = "team-monthly",
            PlanId = "team",
            CurrentPeriodStart = T0.AddDays(30),
            CurrentPeriodEnd = T0.AddDays(60),
            CancelAtPeriodEnd = true,
        };
        subscription.ApplySnapshot(next);

        Assert.Equal(3, subscription.DomainEvents.Count);
        var changed = Assert.Single(subscription.DomainEvents.OfType<SubscriptionPlanChanged>());
        Assert.Equal(("pro", "team"), (changed.OldPlanId, changed.NewPlanId));
        Assert.Single(subscription.DomainEvents.OfType<SubscriptionRenewed>());
        Assert.Single(subscription.DomainEvents.OfType<SubscriptionCancelScheduled>());
    }

    [Fact]
    public void ApplySnapshot_OfAnotherSubscription_FailsValidation()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), Account, "stripe", Snap(SubscriptionStatus.Active, T0), isAddOn: false, accountSubscriptions: []).Value;

        var result = subscription.ApplySnapshot(Snap(SubscriptionStatus.Active, T0.AddDays(1)) with { ProviderSubscriptionId = "sub_other" });

        Assert.Equal(SubscriptionErrors.SnapshotOfOtherSubscription, result.Error);
    }

    [Fact]
    public void CompareRecency_SameTimeDifferentContent_IsAntisymmetric()
    {
        var left = Snap(SubscriptionStatus.Active, T0) with { Quantity = 2 };
        var right = Snap(SubscriptionStatus.Active, T0) with { Quantity = 3 };

        Assert.True(SubscriptionSnapshot.CompareRecency(left, right) < 0);
        Assert.True(SubscriptionSnapshot.CompareRecency(right, left) > 0);
    }

    private static SubscriptionSnapshot Snap(SubscriptionStatus status, DateTimeOffset at) =>
        new("sub_1", status, "pro-monthly", "pro", 1, T0, T0.AddDays(30), null, false, null, null, at);
}
