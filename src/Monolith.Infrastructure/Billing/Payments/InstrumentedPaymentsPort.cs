using System.Diagnostics;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Telemetry;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments;

/// <summary>
/// Wraps the selected provider so every API call is timed and counted (<c>monolith.provider.call.*</c>) and traced as a
/// <c>provider.{operation}</c> span, whatever the provider. Webhook parsing is local work and is not wrapped.
/// </summary>
internal sealed class InstrumentedPaymentsPort(IPaymentsPort inner, MonolithMetrics metrics) : IPaymentsPort
{
    public IPaymentsPort Inner => inner;

    public string Provider => inner.Provider;

    public PaymentsCapabilities Capabilities => inner.Capabilities;

    public Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("create_customer", () => inner.CreateCustomerAsync(request, idempotencyKey, cancellationToken));

    public Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("update_customer", () => inner.UpdateCustomerAsync(customerId, request, idempotencyKey, cancellationToken));

    public Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("create_checkout_session", () => inner.CreateCheckoutSessionAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken) =>
        TimeAsync("create_portal_session", () => inner.CreatePortalSessionAsync(customerId, returnUrl, cancellationToken));

    public Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("cancel_subscription", () => inner.CancelSubscriptionAsync(providerSubscriptionId, atPeriodEnd, idempotencyKey, cancellationToken));

    public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("resume_subscription", () => inner.ResumeSubscriptionAsync(providerSubscriptionId, idempotencyKey, cancellationToken));

    public Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("change_subscription", () => inner.ChangeSubscriptionAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("refund_payment", () => inner.RefundPaymentAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken) =>
        TimeAsync("fetch", () => inner.FetchAsync(reference, cancellationToken));

    public Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken) =>
        TimeAsync("report_usage", () => inner.ReportUsageAsync(report, idempotencyKey, cancellationToken));

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now) =>
        inner.ParseWebhook(body, headers, now);

    private async Task<TResult> TimeAsync<TResult>(string operation, Func<Task<TResult>> call)
        where TResult : Result
    {
        using var activity = MonolithTelemetry.Activities.StartActivity($"provider.{operation}", ActivityKind.Client);
        activity?.SetTag("provider", inner.Provider);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call();
            metrics.ProviderCall(inner.Provider, operation, Stopwatch.GetElapsedTime(started), result.Error?.Code);
            if (result.Error is { } error)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error.Code);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.ProviderCall(inner.Provider, operation, Stopwatch.GetElapsedTime(started), ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
