using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// <see cref="IPaymentsPort"/> over the Stripe API (<c>Payments:Provider=Stripe</c>). Webhooks are verified against
/// every configured signing secret before anything is parsed; <see cref="FetchAsync"/> returns the same normalized
/// events a webhook would carry.
/// </summary>
internal sealed class StripePaymentsPort(
    IHttpClientFactory httpClients, IServiceProvider services, StripePaymentsOptions options, PlanCatalog catalog, TimeProvider clock) : IPaymentsPort
{
    private readonly StripeEventNormalizer _normalizer = new(catalog);

    public string Provider => BillingProvider.Stripe;

    public PaymentsCapabilities Capabilities { get; } = new(SupportsMetering: true, IsMerchantOfRecord: false, SupportsPortal: true);

    public async Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.CreateCustomer(request, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error : Required(response.Value.Str("id"));
    }

    public async Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.CreateCheckoutSession(request, idempotencyKey), cancellationToken);
        if (response.IsFailure)
        {
            return response.Error;
        }

        var session = response.Value;
        return session.Str("id") is { } id && Uri.TryCreate(session.Str("url"), UriKind.Absolute, out var url)
            ? new HostedCheckout(id, url, session.Time("expires_at") ?? clock.GetUtcNow().AddHours(24))
            : PaymentsErrors.ProviderUnavailable;
    }

    public async Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.CreatePortalSession(customerId, returnUrl), cancellationToken);
        if (response.IsFailure)
        {
            return response.Error;
        }

        return Uri.TryCreate(response.Value.Str("url"), UriKind.Absolute, out var url) ? url : PaymentsErrors.ProviderUnavailable;
    }

    public async Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken)
    {
        var request = atPeriodEnd
            ? StripeRequests.SetCancelAtPeriodEnd(providerSubscriptionId, true, idempotencyKey)
            : StripeRequests.CancelSubscription(providerSubscriptionId);
        var response = await Client().SendAsync(request, cancellationToken);
        return response.IsFailure ? response.Error : Result.Success();
    }

    public async Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.SetCancelAtPeriodEnd(providerSubscriptionId, false, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error : Result.Success();
    }

    public async Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = Client();
        var current = await client.SendAsync(StripeRequests.RetrieveSubscription(request.ProviderSubscriptionId), cancellationToken);
        if (current.IsFailure)
        {
            return current.Error;
        }

        if (current.Value.Str("items.data.0.id") is not { } itemId)
        {
            return PaymentsErrors.ProviderUnavailable;
        }

        var response = await client.SendAsync(StripeRequests.ChangeSubscription(request, itemId, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error : Result.Success();
    }

    public async Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await Client().SendAsync(StripeRequests.CreateRefund(request, idempotencyKey), cancellationToken);
        if (response.IsFailure)
        {
            return response.Error;
        }

        var r = response.Value;
        return r.Str("id") is { } id
            ? new ProviderRefund(id, r.Long("amount") ?? request.AmountMinor, (r.Str("currency") ?? request.Currency).ToUpperInvariant(), r.Str("status") ?? "pending")
            : PaymentsErrors.ProviderUnavailable;
    }

    public async Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = reference.Kind switch
        {
            ProviderObjectKind.Subscription => StripeRequests.RetrieveSubscription(reference.ProviderId),
            ProviderObjectKind.CheckoutSession => StripeRequests.RetrieveCheckoutSession(reference.ProviderId),
            _ => StripeRequests.RetrievePaymentIntent(reference.ProviderId),
        };
        var response = await Client().SendAsync(request, cancellationToken);
        if (response.IsFailure)
        {
            return response.Error;
        }

        var now = clock.GetUtcNow();
        var obj = response.Value;
        var type = FetchedEventType(reference.Kind, obj);
        if (type is null)
        {
            return Result.Success<IReadOnlyList<ProviderEvent>>([]);
        }

        // A reconciliation read is not an event: its id names the object and the moment it was read.
        var eventId = $"fetch_{reference.ProviderId}_{now.ToUnixTimeMilliseconds()}";
        return _normalizer.FromObject(type, eventId, now, obj);
    }

    public async Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.CreateMeterEvent(report, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error : Result.Success();
    }

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? signature = null;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, StripeSignature.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                signature = value;
            }
        }

        return StripeSignature.Verify(body, signature, options.WebhookSecrets, now, TimeSpan.FromSeconds(options.WebhookToleranceSeconds))
            ? _normalizer.Normalize(body)
            : PaymentsErrors.SignatureInvalid;
    }

    /// <summary>The event type whose facts the object's current state shows, or null when it shows none yet.</summary>
    private static string? FetchedEventType(ProviderObjectKind kind, JsonElement obj) => kind switch
    {
        ProviderObjectKind.Subscription => obj.Str("status") is "canceled" or "incomplete_expired" ? "customer.subscription.deleted" : "customer.subscription.updated",
        ProviderObjectKind.CheckoutSession => obj.Str("status") switch
        {
            "complete" => "checkout.session.completed",
            "expired" => "checkout.session.expired",
            _ => null,
        },
        _ => obj.Str("status") switch
        {
            "succeeded" => "payment_intent.succeeded",
            "requires_payment_method" when obj.Get("last_payment_error") is not null => "payment_intent.payment_failed",
            "canceled" => "payment_intent.payment_failed",
            _ => null,
        },
    };

    private StripeClient Client() => ActivatorUtilities.CreateInstance<StripeClient>(services, httpClients.CreateClient(StripeClient.HttpClientName));

    private static Result<string> Required(string? id) => id is null ? PaymentsErrors.ProviderUnavailable : id;
}
