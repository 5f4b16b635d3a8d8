using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Payments;

/// <summary>
/// A one-time or invoice payment at the provider. Captures and refunds are append-only child records; the
/// captured and refunded amounts are derived from them, never stored as flags.
/// </summary>
public sealed class Payment : AggregateRoot<Guid>
{
    private readonly List<PaymentCapture> _captures = [];
    private readonly List<PaymentRefund> _refunds = [];

    private Payment()
    {
        Provider = string.Empty;
        ProviderPaymentId = string.Empty;
    }

    public Guid BillingAccountId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderPaymentId { get; private set; }
    public PaymentKind Kind { get; private set; }
    public string? ProviderInvoiceId { get; private set; }
    public Money Amount { get; private set; }
    public PaymentStatus Status { get; private set; }

    /// <summary>The latest failed attempt's time and code; cleared when the payment finally succeeds.</summary>
    public DateTimeOffset? FailedAt { get; private set; }
    public string? FailureCode { get; private set; }

    public DateTimeOffset? SucceededAt { get; private set; }
    public DateTimeOffset? CanceledAt { get; private set; }
    public IReadOnlyList<PaymentCapture> Captures => _captures;
    public IReadOnlyList<PaymentRefund> Refunds => _refunds;

    public Money CapturedAmount => Sum(_captures.Select(c => c.Amount));
    public Money RefundedAmount => Sum(_refunds.Select(r => r.Amount));
    public Money RefundableAmount => Money.Create(CapturedAmount.AmountMinor - RefundedAmount.AmountMinor, Amount.Currency).Value;
    public bool IsFullyRefunded => CapturedAmount.AmountMinor > 0 && RefundableAmount.AmountMinor == 0;

    public static Result<Payment> Initiate(
        Guid id,
        Guid billingAccountId,
        string provider,
        string providerPaymentId,
        PaymentKind kind,
        Money amount,
        string? providerInvoiceId,
        DateTimeOffset at)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var validId = BillingIds.Require(providerPaymentId, PaymentErrors.ProviderPaymentIdRequired);
        if (validId.IsFailure)
        {
            return validId.Error;
        }

        if (amount.AmountMinor <= 0)
        {
            return PaymentErrors.AmountInvalid;
        }

        var payment = new Payment
        {
            Id = id,
            BillingAccountId = billingAccountId,
            Provider = validProvider.Value,
            ProviderPaymentId = validId.Value,
            Kind = kind,
            Amount = amount,
            ProviderInvoiceId = string.IsNullOrWhiteSpace(providerInvoiceId) ? null : providerInvoiceId.Trim(),
            Status = PaymentStatus.Pending,
        };
        payment.Raise(new PaymentInitiated(id, billingAccountId, payment.Provider, payment.ProviderPaymentId, kind, amount, at));
        return payment;
    }

    public bool CanTransitionTo(PaymentStatus target) => PaymentTransitions.IsAllowed(Status, target);

    /// <summary>Whether a failure at <paramref name="at"/> with <paramref name="code"/> is later than the recorded one.</summary>
    public bool IsNewerFailure(DateTimeOffset at, string code) =>
        FailedAt is not { } failedAt || at > failedAt || (at == failedAt && string.CompareOrdinal(code, FailureCode) > 0);

    public Result RequireAction(DateTimeOffset at) =>
        TransitionTo(PaymentStatus.RequiresAction, new PaymentActionRequired(Id, BillingAccountId, at));

    /// <summary>The provider captured <paramref name="captured"/>; records the capture and completes the payment.</summary>
    public Result MarkSucceeded(string providerChargeId, Money captured, DateTimeOffset at)
    {
        var chargeId = BillingIds.Require(providerChargeId, PaymentErrors.ChargeIdRequired);
        if (chargeId.IsFailure)
        {
            return chargeId.Error;
        }

        if (!string.Equals(captured.Currency, Amount.Currency, StringComparison.Ordinal))
        {
            return PaymentErrors.CurrencyMismatch;
        }

        if (captured.AmountMinor <= 0)
        {
            return PaymentErrors.AmountInvalid;
        }

        if (captured.AmountMinor > Amount.AmountMinor)
        {
            return PaymentErrors.CaptureExceedsAmount;
        }

        if (!CanTransitionTo(PaymentStatus.Succeeded))
        {
            return PaymentErrors.TransitionNotAllowed(Status, PaymentStatus.Succeeded);
        }

        _captures.Add(new PaymentCapture(Id, chargeId.Value, captured, at));
        SucceededAt = at;
        FailedAt = null;
        FailureCode = null;
        return TransitionTo(PaymentStatus.Succeeded, new PaymentCaptured(Id, BillingAccountId, chargeId.Value, captured, at));
    }

    /// <summary>An attempt failed. A later failed attempt replaces the recorded one; an earlier one is refused as stale.</summary>
    public Result MarkFailed(string failureCode, DateTimeOffset at)
    {
        var code = BillingIds.Require(failureCode, PaymentErrors.FailureCodeRequired);
        if (code.IsFailure)
        {
            return code.Error;
        }

        if (!CanTransitionTo(PaymentStatus.Failed))
        {
            return PaymentErrors.TransitionNotAllowed(Status, PaymentStatus.Failed);
        }

        if (!IsNewerFailure(at, code.Value))
        {
            return PaymentErrors.StaleFailure;
        }

        FailedAt = at;
        FailureCode = code.Value;
        return TransitionTo(PaymentStatus.Failed, new PaymentAttemptFailed(Id, BillingAccountId, code.Value, at));
    }

    public Result Cancel(DateTimeOffset at)
    {
        if (!CanTransitionTo(PaymentStatus.Canceled))
        {
            return PaymentErrors.TransitionNotAllowed(Status, PaymentStatus.Canceled);
        }

        CanceledAt = at;
        return TransitionTo(PaymentStatus.Canceled, new PaymentCanceled(Id, BillingAccountId, at));
    }

    /// <summary>
    /// Checks a refund before it is asked of the provider: the payment must have captured money, and the amount
    /// (<paramref name="amountMinor"/>; null = everything still refundable) must be positive and at most what was
    /// captured minus what is already refunded. Returns the amount to refund.
    /// </summary>
    public Result<Money> PlanRefund(long? amountMinor)
    {
        if (Status != PaymentStatus.Succeeded || RefundableAmount.AmountMinor <= 0)
        {
            return PaymentErrors.NothingToRefund;
        }

        var amount = amountMinor ?? RefundableAmount.AmountMinor;
        if (amount <= 0)
        {
            return PaymentErrors.RefundAmountInvalid;
        }

        if (amount > RefundableAmount.AmountMinor)
        {
            return PaymentErrors.RefundExceedsRefundable;
        }

        return Money.Create(amount, Amount.Currency);
    }

    /// <summary>
    /// Records a refund. The provider's refund id makes it idempotent; the sum of refunds never exceeds what
    /// was captured.
    /// </summary>
    public Result<RefundRecording> RecordRefund(string providerRefundId, Money amount, string? reason, DateTimeOffset at)
    {
        var refundId = BillingIds.Require(providerRefundId, PaymentErrors.RefundIdRequired);
        if (refundId.IsFailure)
        {
            return refundId.Error;
        }

        if (amount.AmountMinor <= 0)
        {
            return PaymentErrors.RefundAmountInvalid;
        }

        if (!string.Equals(amount.Currency, Amount.Currency, StringComparison.Ordinal))
        {
            return PaymentErrors.CurrencyMismatch;
        }

        var existing = _refunds.Find(r => string.Equals(r.ProviderRefundId, refundId.Value, StringComparison.Ordinal));
        if (existing is not null)
        {
            return existing.Amount == amount ? RefundRecording.AlreadyRecorded : PaymentErrors.RefundIdReused;
        }

        if (amount.AmountMinor > RefundableAmount.AmountMinor)
        {
            return PaymentErrors.RefundExceedsCaptured;
        }

        var trimmedReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        _refunds.Add(new PaymentRefund(Id, refundId.Value, amount, trimmedReason, at));
        Raise(new PaymentRefunded(Id, BillingAccountId, refundId.Value, amount, RefundedAmount, at));
        return RefundRecording.Recorded;
    }

    private Result TransitionTo(PaymentStatus target, IDomainEvent transitioned)
    {
        if (!CanTransitionTo(target))
        {
            return PaymentErrors.TransitionNotAllowed(Status, target);
        }

        Status = target;
        Raise(transitioned);
        return Result.Success();
    }

    private Money Sum(IEnumerable<Money> amounts) =>
        Money.Create(amounts.Sum(m => m.AmountMinor), Amount.Currency).Value;
}
