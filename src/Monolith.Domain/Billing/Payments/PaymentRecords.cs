using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Payments;

/// <summary>Money captured by the provider for a payment (a charge). Append-only.</summary>
public sealed class PaymentCapture
{
    private PaymentCapture()
    {
        ProviderChargeId = string.Empty;
    }

    internal PaymentCapture(Guid paymentId, string providerChargeId, Money amount, DateTimeOffset capturedAt)
    {
        PaymentId = paymentId;
        ProviderChargeId = providerChargeId;
        Amount = amount;
        CapturedAt = capturedAt;
    }

    public Guid PaymentId { get; private set; }
    public string ProviderChargeId { get; private set; }
    public Money Amount { get; private set; }
    public DateTimeOffset CapturedAt { get; private set; }
}

/// <summary>Money given back. Append-only; unique per payment by the provider's refund id.</summary>
public sealed class PaymentRefund
{
    private PaymentRefund()
    {
        ProviderRefundId = string.Empty;
    }

    internal PaymentRefund(Guid paymentId, string providerRefundId, Money amount, string? reason, DateTimeOffset refundedAt)
    {
        PaymentId = paymentId;
        ProviderRefundId = providerRefundId;
        Amount = amount;
        Reason = reason;
        RefundedAt = refundedAt;
    }

    public Guid PaymentId { get; private set; }
    public string ProviderRefundId { get; private set; }
    public Money Amount { get; private set; }
    public string? Reason { get; private set; }
    public DateTimeOffset RefundedAt { get; private set; }
}

/// <summary>What <see cref="Payment.RecordRefund"/> did: a new refund, or one it already held.</summary>
public enum RefundRecording
{
    Recorded,
    AlreadyRecorded,
}

public sealed record PaymentInitiated(
    Guid PaymentId, Guid BillingAccountId, string Provider, string ProviderPaymentId, PaymentKind Kind, Money Amount, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record PaymentActionRequired(Guid PaymentId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record PaymentCaptured(Guid PaymentId, Guid BillingAccountId, string ProviderChargeId, Money Captured, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record PaymentAttemptFailed(Guid PaymentId, Guid BillingAccountId, string FailureCode, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record PaymentCanceled(Guid PaymentId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record PaymentRefunded(
    Guid PaymentId, Guid BillingAccountId, string ProviderRefundId, Money Amount, Money TotalRefunded, DateTimeOffset OccurredAt) : IDomainEvent;

public static class PaymentErrors
{
    public static readonly Error ProviderPaymentIdRequired =
        Error.Validation("billing.payment.provider_payment_id_required", "A payment needs the provider's payment id.");

    public static readonly Error AmountInvalid =
        Error.Validation("billing.payment.amount_invalid", "A payment amount must be positive.");

    public static readonly Error ChargeIdRequired =
        Error.Validation("billing.payment.charge_id_required", "A capture needs the provider's charge id.");

    public static readonly Error FailureCodeRequired =
        Error.Validation("billing.payment.failure_code_required", "A failed payment needs a failure code.");

    public static readonly Error RefundIdRequired =
        Error.Validation("billing.payment.refund_id_required", "A refund needs the provider's refund id.");

    public static readonly Error RefundAmountInvalid =
        Error.Validation("billing.payment.refund_amount_invalid", "A refund amount must be positive.");

    public static readonly Error CaptureExceedsAmount =
        Error.Rule("billing.payment.capture_exceeds_amount", "A payment cannot capture more than its amount.");

    public static readonly Error RefundExceedsCaptured =
        Error.Rule("billing.payment.refund_exceeds_captured", "Refunds cannot exceed the captured amount.");

    public static readonly Error NothingToRefund =
        Error.Rule("billing.payment.nothing_to_refund", "Nothing of this payment is left to refund.");

    public static readonly Error RefundExceedsRefundable =
        Error.Rule("billing.payment.refund_exceeds_captured", "A refund cannot exceed what is left of the captured amount.");

    public static readonly Error OwnerRefundsDisabled =
        Error.Forbidden("billing.refund.owner_not_allowed", "Refunds are issued by our support team: please contact us.");

    public static readonly Error OwnerRefundWindowElapsed =
        Error.Rule("billing.refund.window_elapsed", "This payment is too old to be refunded here: please contact us.");

    public static readonly Error RefundIdReused =
        Error.Conflict("billing.payment.refund_id_reused", "That refund id was already recorded with a different amount.");

    public static readonly Error CurrencyMismatch =
        Error.Rule("billing.payment.currency_mismatch", "Captures and refunds must be in the payment's currency.");

    public static readonly Error StaleFailure =
        Error.Conflict("billing.payment.stale_failure", "A later failure of this payment is already recorded.");

    public static readonly Error NotFound =
        Error.NotFound("billing.payment.not_found", "Payment not found.");

    public static Error TransitionNotAllowed(PaymentStatus from, PaymentStatus to) =>
        Error.Rule("billing.payment.transition_not_allowed", $"A payment cannot go from {from} to {to}.");
}
