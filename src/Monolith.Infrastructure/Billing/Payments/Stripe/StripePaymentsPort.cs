using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Selected with <c>Payments:Provider=Stripe</c> until the Stripe client exists: every call answers
/// <see cref="PaymentsErrors.NotConfigured"/> (501) instead of pretending.
/// </summary>
internal sealed class StripePaymentsPort : IPaymentsPort
{
    public string Provider => BillingProvider.Stripe;

    public PaymentsCapabilities Capabilities { get; } = new(SupportsMetering: false, IsMerchantOfRecord: false, SupportsPortal: false);

    public Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result<string>>(PaymentsErrors.NotConfigured);

    public Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result<HostedCheckout>>(PaymentsErrors.NotConfigured);

    public Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult<Result<Uri>>(PaymentsErrors.NotConfigured);

    public Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result>(PaymentsErrors.NotConfigured);

    public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result>(PaymentsErrors.NotConfigured);

    public Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result>(PaymentsErrors.NotConfigured);

    public Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result<ProviderRefund>>(PaymentsErrors.NotConfigured);

    public Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken) =>
        Task.FromResult<Result<IReadOnlyList<ProviderEvent>>>(PaymentsErrors.NotConfigured);

    public Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result>(PaymentsErrors.NotConfigured);

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now) =>
        PaymentsErrors.NotConfigured;
}
