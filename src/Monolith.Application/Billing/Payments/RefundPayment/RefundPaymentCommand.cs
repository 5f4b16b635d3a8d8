using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Payments.RefundPayment;

/// <summary>
/// Refunds part or all of a captured payment (owners only; operators refund from the ops dashboard). Amount in minor
/// units; null refunds everything still refundable. The refund is recorded when the provider confirms it.
/// </summary>
public sealed record RefundPaymentCommand(Guid OrganizationId, Guid PaymentId, long? AmountMinor, string? Reason, string? IdempotencyKey = null)
    : ICommand<RefundRequested>, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Owner;
}

public sealed record RefundRequested(Guid PaymentId, string ProviderRefundId, long AmountMinor, string Currency, string Status);
