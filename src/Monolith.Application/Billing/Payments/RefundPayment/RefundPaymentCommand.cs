using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Payments.RefundPayment;

/// <summary>
/// An organisation owner refunds part or all of their own payment — only when <c>Billing:Refunds:OwnerSelfService</c>
/// is on and within <c>Billing:Refunds:OwnerWindowDays</c> of the capture (operators refund from the ops account page:
/// <c>IssueRefundCommand</c>). Amount in minor units; null refunds everything still refundable. The refund is recorded
/// when the provider confirms it.
/// </summary>
public sealed record RefundPaymentCommand(Guid OrganizationId, Guid PaymentId, long? AmountMinor, string? Reason, string? IdempotencyKey = null)
    : ICommand<RefundRequested>, IProviderCallingCommand, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Owner;
}

public sealed record RefundRequested(Guid PaymentId, string ProviderRefundId, long AmountMinor, string Currency, string Status);
