using Monolith.Domain.Billing.Payments;

namespace Monolith.Domain.Tests.Billing;

public sealed class CheckoutSessionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CheckoutStatus.Open, CheckoutStatus.Complete, true)]
    [InlineData(CheckoutStatus.Open, CheckoutStatus.Expired, true)]
    [InlineData(CheckoutStatus.Complete, CheckoutStatus.Expired, false)]
    [InlineData(CheckoutStatus.Complete, CheckoutStatus.Open, false)]
    [InlineData(CheckoutStatus.Expired, CheckoutStatus.Complete, false)]
    [InlineData(CheckoutStatus.Expired, CheckoutStatus.Open, false)]
    [InlineData(CheckoutStatus.Open, CheckoutStatus.Open, false)]
    public void IsAllowed_Transition_MatchesTable(CheckoutStatus from, CheckoutStatus to, bool allowed)
    {
        Assert.Equal(allowed, CheckoutTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void Expire_AfterComplete_IsRefusedAndKeepsComplete()
    {
        var session = Open();
        session.Complete("sub_1", T0.AddMinutes(5));

        var result = session.Expire(T0.AddHours(1));

        Assert.Equal("billing.checkout.transition_not_allowed", result.Error!.Code);
        Assert.Equal(CheckoutStatus.Complete, session.Status);
        Assert.Equal("sub_1", session.ProviderResultId);
    }

    [Fact]
    public void Open_WithExpiryInPast_FailsValidation()
    {
        var result = CheckoutSession.Open(Guid.NewGuid(), Guid.NewGuid(), "stripe", "cs_1", "pro-monthly", CheckoutMode.Subscription, T0, T0);

        Assert.Equal(CheckoutErrors.ExpiryInPast, result.Error);
    }

    private static CheckoutSession Open() =>
        CheckoutSession.Open(Guid.NewGuid(), Guid.NewGuid(), "stripe", "cs_1", "pro-monthly", CheckoutMode.Subscription, T0.AddDays(1), T0).Value;
}
