using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Domain.Tests.Billing;

public sealed class PaymentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(PaymentStatus.Pending, PaymentStatus.RequiresAction, true)]
    [InlineData(PaymentStatus.Pending, PaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.Pending, PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.Pending, PaymentStatus.Canceled, true)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.Canceled, true)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.Canceled, true)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.Pending, false)]
    [InlineData(PaymentStatus.RequiresAction, PaymentStatus.RequiresAction, false)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.RequiresAction, false)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.Pending, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Failed, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Canceled, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Pending, false)]
    [InlineData(PaymentStatus.Canceled, PaymentStatus.Succeeded, false)]
    [InlineData(PaymentStatus.Canceled, PaymentStatus.Failed, false)]
    [InlineData(PaymentStatus.Pending, PaymentStatus.Pending, false)]
    public void IsAllowed_Transition_MatchesTable(PaymentStatus from, PaymentStatus to, bool allowed)
    {
        Assert.Equal(allowed, PaymentTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void MarkFailed_AfterSucceeded_IsRefused()
    {
        var payment = Captured(5000);

        var result = payment.MarkFailed("card_declined", T0.AddMinutes(5));

        Assert.Equal("billing.payment.transition_not_allowed", result.Error!.Code);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
    }

    [Fact]
    public void Cancel_AfterCanceled_IsRefused()
    {
        var payment = New(5000);
        Assert.True(payment.Cancel(T0).IsSuccess);

        Assert.True(payment.Cancel(T0.AddMinutes(1)).IsFailure);
        Assert.True(payment.RequireAction(T0.AddMinutes(1)).IsFailure);
    }

    [Fact]
    public void MarkFailed_OlderThanRecordedFailure_IsStale()
    {
        var payment = New(5000);
        payment.MarkFailed("insufficient_funds", T0.AddMinutes(2));

        var result = payment.MarkFailed("card_declined", T0.AddMinutes(1));

        Assert.Equal(PaymentErrors.StaleFailure, result.Error);
        Assert.Equal("insufficient_funds", payment.FailureCode);
    }

    [Fact]
    public void MarkSucceeded_AfterFailure_ClearsFailureAndRecordsCapture()
    {
        var payment = New(5000);
        payment.MarkFailed("card_declined", T0);

        payment.MarkSucceeded("ch_1", Usd(5000), T0.AddMinutes(1));

        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Null(payment.FailureCode);
        Assert.Equal(5000, payment.CapturedAmount.AmountMinor);
    }

    [Fact]
    public void MarkSucceeded_CaptureAboveAmount_IsRefused()
    {
        Assert.Equal(PaymentErrors.CaptureExceedsAmount, New(5000).MarkSucceeded("ch_1", Usd(5001), T0).Error);
    }

    [Fact]
    public void RecordRefund_PartialRefunds_SumToRefundedAmount()
    {
        var payment = Captured(5000);

        payment.RecordRefund("re_1", Usd(1200), "requested_by_customer", T0);
        payment.RecordRefund("re_2", Usd(800), null, T0);

        Assert.Equal(2000, payment.RefundedAmount.AmountMinor);
        Assert.Equal(3000, payment.RefundableAmount.AmountMinor);
        Assert.False(payment.IsFullyRefunded);
    }

    [Fact]
    public void RecordRefund_BeyondCaptured_IsRuleError()
    {
        var payment = Captured(5000);
        payment.RecordRefund("re_1", Usd(4000), null, T0);

        var result = payment.RecordRefund("re_2", Usd(1001), null, T0);

        Assert.Equal(ErrorKind.Rule, result.Error!.Kind);
        Assert.Equal(PaymentErrors.RefundExceedsCaptured, result.Error);
        Assert.Equal(4000, payment.RefundedAmount.AmountMinor);
    }

    [Fact]
    public void RecordRefund_ExactlyCaptured_IsFullyRefunded()
    {
        var payment = Captured(5000);

        payment.RecordRefund("re_1", Usd(5000), null, T0);

        Assert.True(payment.IsFullyRefunded);
        Assert.Equal(0, payment.RefundableAmount.AmountMinor);
    }

    [Fact]
    public void RecordRefund_BeforeCapture_IsRuleError()
    {
        Assert.Equal(PaymentErrors.RefundExceedsCaptured, New(5000).RecordRefund("re_1", Usd(1), null, T0).Error);
    }

    [Fact]
    public void RecordRefund_SameRefundIdTwice_IsIdempotent()
    {
        var payment = Captured(5000);
        payment.RecordRefund("re_1", Usd(1000), null, T0);
        var events = payment.DomainEvents.Count;

        var again = payment.RecordRefund("re_1", Usd(1000), null, T0.AddDays(1));

        Assert.Equal(RefundRecording.AlreadyRecorded, again.Value);
        Assert.Single(payment.Refunds);
        Assert.Equal(1000, payment.RefundedAmount.AmountMinor);
        Assert.Equal(events, payment.DomainEvents.Count);
    }

    [Fact]
    public void RecordRefund_SameRefundIdOtherAmount_IsConflict()
    {
        var payment = Captured(5000);
        payment.RecordRefund("re_1", Usd(1000), null, T0);

        Assert.Equal(PaymentErrors.RefundIdReused, payment.RecordRefund("re_1", Usd(2000), null, T0).Error);
    }

    [Fact]
    public void RecordRefund_OtherCurrency_IsRefused()
    {
        var payment = Captured(5000);

        Assert.Equal(PaymentErrors.CurrencyMismatch, payment.RecordRefund("re_1", Money.Create(100, "EUR").Value, null, T0).Error);
    }

    private static Money Usd(long minor) => Money.Create(minor, "USD").Value;

    private static Payment New(long amount) =>
        Payment.Initiate(Guid.NewGuid(), Guid.NewGuid(), "stripe", "pi_1", PaymentKind.OneTime, Usd(amount), null, T0).Value;

    private static Payment Captured(long amount)
    {
        var payment = New(amount);
        payment.MarkSucceeded("ch_1", Usd(amount), T0);
        return payment;
    }
}
