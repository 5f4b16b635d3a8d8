using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Domain.Tests.Billing;

public sealed class EntitlementSnapshotTests
{
    private static readonly DateTimeOffset PeriodStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PeriodEnd = PeriodStart.AddDays(30);
    private static readonly AccessPolicy Policy = AccessPolicy.Create(TimeSpan.FromDays(3)).Value;

    private static readonly Dictionary<string, Plan> Plans = new(StringComparer.Ordinal)
    {
        ["basic"] = Plan.Create("basic", "Basic", ["export"], new Dictionary<string, long> { ["api-calls"] = 1000, ["seats"] = 3 }).Value,
        ["pro"] = Plan.Create("pro", "Pro", ["export", "sso"], new Dictionary<string, long> { ["api-calls"] = 10000, ["seats"] = 1 }).Value,
        ["addon"] = Plan.Create("addon", "Unlimited API", ["api-calls"], new Dictionary<string, long>()).Value,
    };

    [Theory]
    [InlineData(SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionStatus.Trialing, true)]
    [InlineData(SubscriptionStatus.Incomplete, false)]
    [InlineData(SubscriptionStatus.IncompleteExpired, false)]
    [InlineData(SubscriptionStatus.Unpaid, false)]
    [InlineData(SubscriptionStatus.Paused, false)]
    [InlineData(SubscriptionStatus.Canceled, false)]
    public void Evaluate_ByStatus_GrantsOnlyActiveAndTrialing(SubscriptionStatus status, bool granted)
    {
        var snapshot = Evaluate(PeriodStart.AddDays(10), Access("basic", status));

        Assert.Equal(granted, snapshot.Check("export").Allowed);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Grants_Paused_FollowsThePausedGrantsAccessSetting(bool pausedGrantsAccess, bool granted)
    {
        var policy = AccessPolicy.Create(TimeSpan.FromDays(3), pausedGrantsAccess).Value;

        var grants = policy.Grants(
            new SubscriptionAccess("basic", SubscriptionStatus.Paused, false, PeriodStart, PeriodEnd), PeriodStart.AddDays(10), out var until);

        Assert.Equal(granted, grants);
        Assert.Null(until);
        Assert.False(AccessPolicy.Default.PausedGrantsAccess);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(10, false)]
    public void Evaluate_PastDue_GrantsOnlyWithinGracePeriod(int daysIntoPeriod, bool granted)
    {
        var snapshot = Evaluate(PeriodStart.AddDays(daysIntoPeriod), Access("basic", SubscriptionStatus.PastDue));

        Assert.Equal(granted, snapshot.Check("export").Allowed);
        if (granted)
        {
            Assert.Equal(PeriodStart.AddDays(3), snapshot.ValidUntil);
        }
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, false)]
    public void Evaluate_CancelAtPeriodEnd_GrantsUntilPeriodEnd(int day, bool granted)
    {
        var snapshot = Evaluate(PeriodStart.AddDays(day), Access("pro", SubscriptionStatus.Active, cancelAtPeriodEnd: true));

        Assert.Equal(granted, snapshot.Check("sso").Allowed);
        if (granted)
        {
            Assert.Equal(PeriodEnd, snapshot.ValidUntil);
            Assert.True(snapshot.IsStale(PeriodEnd));
        }
    }

    [Fact]
    public void Evaluate_TwoGrantingPlans_MostGenerousLimitWins()
    {
        var snapshot = Evaluate(PeriodStart.AddDays(1), Access("basic", SubscriptionStatus.Active), Access("pro", SubscriptionStatus.Active));

        Assert.Equal(new FeatureEntitlement(true, false, 10000), snapshot.Check("api-calls"));
        Assert.Equal(3, snapshot.Check("seats").Limit);
        Assert.True(snapshot.Check("sso").Unlimited);
        Assert.Null(snapshot.ValidUntil);
    }

    [Fact]
    public void Evaluate_BooleanFeatureAndLimit_UnlimitedWins()
    {
        var snapshot = Evaluate(PeriodStart.AddDays(1), Access("pro", SubscriptionStatus.Active), Access("addon", SubscriptionStatus.Active));

        Assert.Equal(FeatureEntitlement.UnlimitedAccess, snapshot.Check("api-calls"));
    }

    [Fact]
    public void Evaluate_DeniedSubscriptionOfMoreGenerousPlan_DoesNotRaiseLimit()
    {
        var snapshot = Evaluate(PeriodStart.AddDays(1), Access("basic", SubscriptionStatus.Active), Access("pro", SubscriptionStatus.Canceled));

        Assert.Equal(1000, snapshot.Check("api-calls").Limit);
        Assert.False(snapshot.Check("sso").Allowed);
    }

    [Fact]
    public void Check_UnknownFeature_IsDenied()
    {
        var snapshot = Evaluate(PeriodStart.AddDays(1), Access("pro", SubscriptionStatus.Active));

        Assert.Equal(FeatureEntitlement.Denied, snapshot.Check("nope"));
        Assert.Equal(FeatureEntitlement.Denied, snapshot.Check("nope".AsSpan()));
        Assert.True(snapshot.Check("sso".AsSpan()).Allowed);
    }

    [Fact]
    public void Limited_Zero_IsNotAllowed()
    {
        Assert.False(FeatureEntitlement.Limited(0).Allowed);
    }

    private static EntitlementSnapshot Evaluate(DateTimeOffset now, params SubscriptionAccess[] subscriptions) =>
        EntitlementSnapshot.Evaluate(subscriptions, Plans, Policy, now);

    private static SubscriptionAccess Access(string plan, SubscriptionStatus status, bool cancelAtPeriodEnd = false) =>
        new(plan, status, cancelAtPeriodEnd, PeriodStart, PeriodEnd);
}
