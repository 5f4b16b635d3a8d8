using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Billing.ProviderEvents;

/// <summary>
/// A provider webhook (or reconciliation read) normalized to provider-neutral facts. <see cref="OccurredAt"/> is the
/// provider's own event timestamp, never the time we received it.
/// </summary>
public abstract record ProviderEvent(string Provider, string ProviderEventId, DateTimeOffset OccurredAt);

/// <summary>
/// A hosted checkout finished. <paramref name="ClientReferenceAccountId"/> is the billing account id we passed as
/// client_reference_id; <paramref name="ProviderResultId"/> is the subscription (subscription mode) or payment.
/// </summary>
public sealed record CheckoutCompleted(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string ProviderSessionId,
    string? CustomerId,
    Guid? ClientReferenceAccountId,
    CheckoutMode Mode,
    string? ProviderResultId) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

public sealed record CheckoutExpired(string Provider, string ProviderEventId, DateTimeOffset OccurredAt, string ProviderSessionId)
    : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>
/// The provider's full subscription object at <c>Snapshot.SnapshotAt</c>, prices already mapped to the catalogue.
/// <paramref name="MetadataAccountId"/> is the billing account id from the subscription's metadata, when present.
/// </summary>
public sealed record SubscriptionChanged(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string CustomerId,
    Guid? MetadataAccountId,
    SubscriptionSnapshot Snapshot) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>The provider deleted (ended) the subscription; the snapshot is its final state.</summary>
public sealed record SubscriptionDeleted(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string CustomerId,
    Guid? MetadataAccountId,
    SubscriptionSnapshot Snapshot) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>
/// The provider's advance notice that a trial ends soon (Stripe: customer.subscription.trial_will_end, about three
/// days ahead); the snapshot is the subscription at that moment.
/// </summary>
public sealed record SubscriptionTrialWillEnd(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string CustomerId,
    Guid? MetadataAccountId,
    SubscriptionSnapshot Snapshot) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>The invoice as the provider describes it in every invoice event.</summary>
public sealed record InvoiceDetails(
    string ProviderInvoiceId,
    string? ProviderSubscriptionId,
    long AmountDueMinor,
    string Currency,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    int AttemptCount,
    Uri? HostedUrl,
    Uri? PdfUrl);

public sealed record InvoicePaid(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string? CustomerId,
    Guid? MetadataAccountId,
    InvoiceDetails Invoice,
    long AmountPaidMinor) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

public sealed record InvoicePaymentFailed(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string? CustomerId,
    Guid? MetadataAccountId,
    InvoiceDetails Invoice) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>The payment as the provider describes it in every payment event.</summary>
public sealed record PaymentDetails(
    string ProviderPaymentId,
    PaymentKind Kind,
    string? ProviderInvoiceId,
    long AmountMinor,
    string Currency);

public sealed record PaymentSucceeded(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string? CustomerId,
    Guid? MetadataAccountId,
    PaymentDetails Payment,
    string ProviderChargeId,
    long CapturedMinor) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

public sealed record PaymentFailed(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string? CustomerId,
    Guid? MetadataAccountId,
    PaymentDetails Payment,
    string FailureCode) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

public sealed record RefundRecorded(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string ProviderPaymentId,
    string ProviderRefundId,
    long AmountMinor,
    string Currency,
    string? Reason,
    DateTimeOffset RefundedAt) : ProviderEvent(Provider, ProviderEventId, OccurredAt);

/// <summary>
/// The provider's customer changed (Stripe: customer.updated). <paramref name="Email"/> is its email now (null: none);
/// the app takes it as the billing account's email. The name is not taken: it is the organisation's, owned by the app.
/// </summary>
public sealed record CustomerUpdated(
    string Provider,
    string ProviderEventId,
    DateTimeOffset OccurredAt,
    string CustomerId,
    Guid? MetadataAccountId,
    string? Email) : ProviderEvent(Provider, ProviderEventId, OccurredAt);
