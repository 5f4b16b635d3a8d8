using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Domain.Tests.Billing;

/// <summary>What a refund may be (<see cref="Payment.PlanRefund"/>) and who may ask for it (<see cref="RefundPolicy"/>).</summary>
public sealed class RefundRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, 5000L, 0L, 5000L, null)]
    [InlineData(1L, 5000L, 0L, 1L, null)]
    [InlineData(4000L, 5000L, 1000L, 4000L, null)]
    [InlineData(4001L, 5000L, 1000L, 0L, "billing.payment.refund_exceeds_captured")]
    [InlineData(null, 5000L, 1000L, 4000L, null)]
    [InlineData(null, 5000L, 5000L, 0L, "billing.payment.nothing_to_refund")]
    [InlineData(0L, 5000L, 0L, 0L, "billing.payment.refund_amount_invalid")]
    [InlineData(-5L, 5000L, 0L, 0L, "billing.payment.refund_amount_invalid")]
    [InlineData(long.MaxValue, 5000L, 0L, 0L, "billing.payment.refund_exceeds_captured")]
    public void PlanRefund_Amount_IsAtMostCapturedMinusRefunded(long? asked, long captured, long refunded, long expected, string? error)
    {
        var payment = Captured(captured);
        if (refunded > 0)
        {
            Assert.True(payment.RecordRefund("re_earlier", Usd(refunded), null, T0).IsSuccess);
        }

        var planned = payment.PlanRefund(asked);

        Assert.Equal(error, planned.Error?.Code);
        if (error is null)
        {
            Assert.Equal(Usd(expected), planned.Value);
        }
    }

    [Fact]
    public void PlanRefund_PaymentNotCaptured_IsNothingToRefund()
    {
        var pending = Payment.Initiate(Guid.NewGuid(), Guid.NewGuid(), "stripe", "pi_1", PaymentKind.OneTime, Usd(5000), null, T0).Value;

        Assert.Equal(PaymentErrors.NothingToRefund, pending.PlanRefund(100).Error);
    }

    [Fact]
    public void AllowsOwner_ByDefault_IsRefusedAsForbidden()
    {
        var refused = RefundPolicy.OpsOnly.AllowsOwner(Captured(5000), T0);

        Assert.Equal(PaymentErrors.OwnerRefundsDisabled, refused.Error);
        Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(14, 14 * 24 * 60, true)]
    [InlineData(14, (14 * 24 * 60) + 1, false)]
    [InlineData(0, 1, false)]
    public void AllowsOwner_SelfService_OnlyWithinTheWindowAfterCapture(int windowDays, int minutesAfterCapture, bool allowed)
    {
        var policy = new RefundPolicy(OwnerSelfService: true, OwnerWindowDays: windowDays);

        var result = policy.AllowsOwner(Captured(5000), T0.AddMinutes(minutesAfterCapture));

        Assert.Equal(allowed, result.IsSuccess);
        if (!allowed)
        {
            Assert.Equal(PaymentErrors.OwnerRefundWindowElapsed, result.Error);
        }
    }

    [Fact]
    public void AllowsOwner_PaymentNeverCaptured_IsRefused()
    {
        var pending = Payment.Initiate(Guid.NewGuid(), Guid.NewGuid(), "stripe", "pi_1", PaymentKind.OneTime, Usd(5000), null, T0).Value;

        Assert.True(new RefundPolicy(true, 14).AllowsOwner(pending, T0).IsFailure);
    }

    private static Money Usd(long minor) => Money.Create(minor, "USD").Value;

    private static Payment Captured(long amount)
    {
        var payment = Payment.Initiate(Guid.NewGuid(), Guid.NewGuid(), "stripe", "pi_1", PaymentKind.OneTime, Usd(amount), null, T0).Value;
        Assert.True(payment.MarkSucceeded("ch_1", Usd(amount), T0).IsSuccess);
        return payment;
    }
}
