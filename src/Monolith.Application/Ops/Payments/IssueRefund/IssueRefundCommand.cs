using Monolith.Application.Billing.Payments.RefundPayment;
using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.Payments.IssueRefund;

/// <summary>
/// An operator refunds part or all of any captured payment (the ops account page). Amount in minor units; null
/// refunds everything still refundable, never more than was captured minus what is already refunded. Idempotent by
/// <see cref="IdempotencyKey"/> (the page sends one per rendered form, so a double submit refunds once). Audited
/// (<c>payment.refund</c>).
/// </summary>
public sealed record IssueRefundCommand(Guid PaymentId, long? AmountMinor, string? Reason, string? IdempotencyKey)
    : ICommand<RefundRequested>, IProviderCallingCommand, IOpsRequest, IIdempotentCommand;
