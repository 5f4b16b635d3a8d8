using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>The zero-config provider: a local payment-provider simulator whose hosted pages live under <c>/_simulator/…</c>.</summary>
internal sealed class InMemoryPaymentsProvider(
    SimulatorState state,
    SimulatorWebhookSigner signer,
    IOptions<PaymentsOptions> options) : IPaymentsPort
{
    private readonly SimulatorEventNormalizer _normalizer = new(state.Catalog);

    public string Provider => BillingProvider.InMemory;

    public PaymentsCapabilities Capabilities { get; } = new(SupportsMetering: true, IsMerchantOfRecord: false, SupportsPortal: true);

    public Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.CreateCustomer(request, idempotencyKey));

    public Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.UpdateCustomer(customerId, request, idempotencyKey));

    public Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var created = state.CreateCheckoutSession(request, idempotencyKey);
        if (created.IsFailure)
        {
            return Task.FromResult<Result<HostedCheckout>>(created.Error);
        }

        var (id, expiresAt) = created.Value;
        var url = new Uri(PublicBase(request.SuccessUrl), $"_simulator/checkout/{Uri.EscapeDataString(id)}");
        return Task.FromResult<Result<HostedCheckout>>(new HostedCheckout(id, url, expiresAt));
    }

    public Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken)
    {
        var created = state.CreatePortalSession(customerId, returnUrl);
        return Task.FromResult(created.IsFailure
            ? Result<Uri>.Failure(created.Error)
            : new Uri(PublicBase(returnUrl), $"_simulator/portal/{Uri.EscapeDataString(created.Value)}"));
    }

    public Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.CancelSubscription(providerSubscriptionId, atPeriodEnd, idempotencyKey));

    public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.ResumeSubscription(providerSubscriptionId, idempotencyKey));

    public Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.ChangeSubscription(request, idempotencyKey));

    public Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.Refund(request, idempotencyKey));

    public Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken)
    {
        var snapshot = state.Snapshot(reference);
        if (snapshot.IsFailure)
        {
            return Task.FromResult<Result<IReadOnlyList<ProviderEvent>>>(snapshot.Error);
        }

        var events = new List<ProviderEvent>();
        foreach (var e in snapshot.Value)
        {
            var parsed = _normalizer.Normalize(e.Body);
            if (parsed.IsFailure)
            {
                return Task.FromResult<Result<IReadOnlyList<ProviderEvent>>>(parsed.Error);
            }

            events.AddRange(parsed.Value.Events ?? []);
        }

        return Task.FromResult<Result<IReadOnlyList<ProviderEvent>>>(events);
    }

    public Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(state.ReportUsage(report, idempotencyKey));

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? signature = null;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, SimulatorWebhookSigner.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                signature = value;
            }
        }

        return signer.Verify(body, signature, now) ? _normalizer.Normalize(body) : PaymentsErrors.SignatureInvalid;
    }

    private Uri PublicBase(Uri fallback) =>
        new((options.Value.InMemory.PublicBaseUrl ?? fallback.GetLeftPart(UriPartial.Authority)).TrimEnd('/') + "/");
}
