using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Payments;

/// <summary>
/// The payment provider, as the app needs it: a translator, never the owner of plans or access. Provider-neutral
/// inputs and outputs; every outbound mutation carries an idempotency key (derived from the use case's own key, so a
/// retried command reuses it). Failures are <see cref="Result"/>s with <see cref="PaymentsErrors"/> codes.
/// Implementations: the in-memory simulator (default) and Stripe.
/// </summary>
public interface IPaymentsPort
{
    /// <summary>The provider discriminator stored on every provider-sourced row ("inmemory", "stripe").</summary>
    string Provider { get; }

    PaymentsCapabilities Capabilities { get; }

    /// <summary>The provider's customer for one billing account: the organisation's name, the billing email, metadata linking it to us.</summary>
    Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the provider's customer in line with the app's current name, email and metadata (after a rename or a
    /// new billing email). A null email or name leaves the provider's value as it is.
    /// </summary>
    Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken);

    Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Undo a scheduled cancel-at-period-end.</summary>
    Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// The provider's current truth about one object, as the same normalized events a webhook would carry (e.g. a
    /// <see cref="SubscriptionChanged"/> snapshot), so reconciliation feeds the same applier. Not found → NotFound error.
    /// </summary>
    Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken);

    Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Verify the signature over the raw body FIRST, then parse (at least the envelope). Invalid signature →
    /// Validation error <c>billing.webhook.signature_invalid</c>; unknown event type → success with no events
    /// (recorded as ignored); events left to be read when applied → <see cref="ParsedWebhook.Events"/> null.
    /// </summary>
    Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now);
}

/// <param name="SupportsMetering">The provider bills metered usage itself (usage is reported to it).</param>
/// <param name="IsMerchantOfRecord">The provider sells on our behalf (taxes, invoices are theirs).</param>
public sealed record PaymentsCapabilities(bool SupportsMetering, bool IsMerchantOfRecord, bool SupportsPortal);

/// <summary>Who the provider's customer is: <paramref name="Name"/> is the organisation's, <paramref name="Email"/> the billing contact's.</summary>
public sealed record CreateCustomerRequest(Guid BillingAccountId, Guid OrganizationId, string? Email, string? Name);

/// <summary>
/// A hosted checkout. <see cref="BillingAccountId"/> travels as client_reference_id and metadata so webhooks that
/// arrive before the customer link can still be attributed.
/// </summary>
public sealed record CreateCheckoutRequest(
    Guid BillingAccountId,
    string CustomerId,
    CheckoutMode Mode,
    string ProviderPriceId,
    int Quantity,
    int? TrialDays,
    Uri SuccessUrl,
    Uri CancelUrl,
    bool AllowPromotionCodes = false,
    bool AutomaticTax = false);

public sealed record HostedCheckout(string ProviderSessionId, Uri Url, DateTimeOffset ExpiresAt);

public enum ProrationMode
{
    /// <summary>Charge/credit the difference now (upgrades).</summary>
    AlwaysInvoice,

    /// <summary>Prorate on the next invoice.</summary>
    CreateProrations,

    /// <summary>No proration (e.g. a downgrade that takes effect at period end).</summary>
    None,
}

/// <param name="AtPeriodEnd">Schedule the change for the end of the current period (downgrades) instead of now.</param>
public sealed record ChangeSubscriptionRequest(
    string ProviderSubscriptionId, string ProviderPriceId, int Quantity, ProrationMode Proration, bool AtPeriodEnd = false);

public sealed record RefundRequest(string ProviderPaymentId, long AmountMinor, string Currency, string? Reason);

public sealed record ProviderRefund(string ProviderRefundId, long AmountMinor, string Currency, string Status);

public enum ProviderObjectKind
{
    Subscription,
    Payment,
    CheckoutSession,
}

public sealed record ProviderObjectRef(ProviderObjectKind Kind, string ProviderId);

public sealed record UsageReport(string CustomerId, string FeatureId, long Quantity, DateTimeOffset At);

/// <summary>
/// A verified webhook: the provider's event id and type (for the inbox row) and the normalized facts it carries.
/// <see cref="Events"/> is empty for event types the app does not act on, and null when the provider's events are read
/// from the stored payload when they are applied (Stripe: parsing into typed objects stays off the receive path).
/// </summary>
public sealed record ParsedWebhook(string EventId, string EventType, DateTimeOffset CreatedAt, IReadOnlyList<ProviderEvent>? Events);

public static class PaymentsErrors
{
    public static readonly Error SignatureInvalid =
        Error.Validation("billing.webhook.signature_invalid", "The webhook signature is missing or invalid.");

    public static readonly Error PayloadInvalid =
        Error.Validation("billing.webhook.payload_invalid", "The webhook body is not a valid event.");

    public const string ApiVersionUnsupportedCode = "billing.webhook.api_version_unsupported";

    /// <summary>
    /// A stored event whose provider API version this server cannot read field for field: it is parked (not failed)
    /// with <paramref name="reason"/>, to be retried once the endpoint's version or the SDK is changed.
    /// </summary>
    public static Error ApiVersionUnsupported(string reason) => Error.Rule(ApiVersionUnsupportedCode, reason);

    public static readonly Error ProviderUnavailable =
        Error.Upstream("billing.provider.unavailable", "The payment provider could not be reached. Please try again.");

    public static readonly Error NotConfigured =
        Error.NotConfigured("billing.provider.not_configured", "Payments are not configured on this server.");

    public static readonly Error NotFound =
        Error.NotFound("billing.provider.object_not_found", "The payment provider does not know this object.");

    public static Error CardDeclined(string safeMessage) => Error.Rule("billing.provider.card_declined", safeMessage);

    public static Error InvalidRequest(string detail) => Error.Upstream("billing.provider.invalid_request", detail);
}
