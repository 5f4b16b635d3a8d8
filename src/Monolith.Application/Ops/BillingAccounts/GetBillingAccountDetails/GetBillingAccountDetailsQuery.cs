using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;

namespace Monolith.Application.Ops.BillingAccounts.GetBillingAccountDetails;

/// <summary>Everything billing knows about one organisation: account, customers, subscriptions, payments, invoices, recent usage.</summary>
public sealed record GetBillingAccountDetailsQuery(Guid OrganizationId) : IQuery<BillingAccountDetails>, IOpsRequest;

/// <param name="Account">Null when the organisation has never needed a billing account (it is opened on first need).</param>
public sealed record BillingAccountDetails(
    Guid OrganizationId,
    string OrganizationName,
    IReadOnlyList<MemberRow> Members,
    AccountRow? Account,
    IReadOnlyList<SubscriptionRow> Subscriptions,
    IReadOnlyList<PaymentRow> Payments,
    IReadOnlyList<InvoiceRow> Invoices,
    IReadOnlyList<UsageRow> Usage);

public sealed record MemberRow(Guid UserId, string Email, string Role);

public sealed record AccountRow(Guid Id, DateTimeOffset OpenedAt, bool HasUsedTrial, IReadOnlyList<CustomerRow> Customers);

public sealed record CustomerRow(string Provider, string CustomerId, DateTimeOffset LinkedAt);

public sealed record SubscriptionRow(
    Guid Id, string Provider, string ProviderSubscriptionId, SubscriptionStatus Status, string PlanId, string PriceId, int Quantity,
    DateTimeOffset CurrentPeriodStart, DateTimeOffset CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset? EndedAt);

/// <param name="CapturedMinor">What the provider captured; <paramref name="RefundedMinor"/> what was refunded of it so far.</param>
public sealed record PaymentRow(
    Guid Id, string Provider, string ProviderPaymentId, PaymentKind Kind, PaymentStatus Status, long AmountMinor, string Currency,
    string? FailureCode, DateTimeOffset? SucceededAt, DateTimeOffset? FailedAt, long CapturedMinor, long RefundedMinor)
{
    public long RefundableMinor => CapturedMinor - RefundedMinor;
}

public sealed record InvoiceRow(
    Guid Id, string ProviderInvoiceId, InvoiceStatus Status, long AmountDueMinor, long AmountPaidMinor, string Currency,
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, int AttemptCount);

public sealed record UsageRow(string FeatureId, UsageMode Mode, long Quantity, DateTimeOffset PeriodStart, DateTimeOffset RecordedAt, string IdempotencyKey);
