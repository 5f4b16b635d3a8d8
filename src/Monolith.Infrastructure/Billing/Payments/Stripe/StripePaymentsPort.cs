using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;
using StripeEntity = global::Stripe.StripeEntity;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// <see cref="IPaymentsPort"/> over the Stripe API (<c>Payments:Provider=Stripe</c>). Webhooks are verified against
/// every configured signing secret before anything is parsed; <see cref="FetchAsync"/> returns the same normalized
/// events a webhook would carry.
/// </summary>
internal sealed class StripePaymentsPort(
    IHttpClientFactory httpClients, IServiceProvider services, StripePaymentsOptions options, PlanCatalog catalog, TimeProvider clock) : IPaymentsPort
{
    /// <summary>A period-end change of a subscription that ends at its period end would never take effect.</summary>
    public static readonly Error CancelScheduled = Error.Rule(
        "billing.subscription.cancel_scheduled", "The subscription ends at the end of its period; resume it before changing the plan.");

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
        var client = Client();
        if (!atPeriodEnd)
        {
            var deleted = await client.SendAsync(StripeRequests.CancelSubscription(providerSubscriptionId, idempotencyKey), cancellationToken);
            if (deleted.IsSuccess || deleted.Error!.Code is not ("billing.provider.invalid_request" or "billing.provider.object_not_found"))
            {
                return deleted.IsFailure ? deleted.Error! : Result.Success();
            }

            // Stripe does not replay DELETEs by key: when an earlier attempt canceled it and its answer was lost, the
            // retry is refused. What counts is the state: a subscription that is canceled is what was asked for.
            var state = await client.SendAsync(StripeRequests.RetrieveSubscription(providerSubscriptionId), cancellationToken);
            return state.IsSuccess && state.Value.Str("status") == "canceled" ? Result.Success() : deleted.Error!;
        }

        // A subscription run by a schedule refuses cancel_at_period_end: release the schedule first (a pending
        // period-end change is dropped, the subscription ends at the period end anyway).
        var current = await client.SendAsync(StripeRequests.RetrieveSubscription(providerSubscriptionId), cancellationToken);
        if (current.IsFailure)
        {
            return current.Error!;
        }

        var released = await ReleaseScheduleAsync(client, current.Value, idempotencyKey, cancellationToken);
        if (released.IsFailure)
        {
            return released;
        }

        var response = await client.SendAsync(StripeRequests.SetCancelAtPeriodEnd(providerSubscriptionId, true, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error! : Result.Success();
    }

    public async Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await Client().SendAsync(StripeRequests.SetCancelAtPeriodEnd(providerSubscriptionId, false, idempotencyKey), cancellationToken);
        return response.IsFailure ? response.Error : Result.Success();
    }

    /// <summary>
    /// Now (upgrades): the item's price/quantity is swapped with the requested proration, after releasing any schedule
    /// (a newer decision replaces a pending period-end change). At period end (downgrades): a subscription schedule
    /// keeps the current phase until the period ends and then switches; an existing schedule is rewritten, so the last
    /// requested change wins. Every step has its own key derived from <paramref name="idempotencyKey"/>.
    /// </summary>
    public async Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = Client();
        var current = await client.SendAsync(StripeRequests.RetrieveSubscription(request.ProviderSubscriptionId), cancellationToken);
        if (current.IsFailure)
        {
            return current.Error;
        }

        var subscription = current.Value;
        if (subscription.Str("items.data.0.id") is not { } itemId)
        {
            return PaymentsErrors.ProviderUnavailable;
        }

        if (!request.AtPeriodEnd)
        {
            var released = await ReleaseScheduleAsync(client, subscription, idempotencyKey, cancellationToken);
            if (released.IsFailure)
            {
                return released;
            }

            var response = await client.SendAsync(StripeRequests.ChangeSubscription(request, itemId, idempotencyKey), cancellationToken);
            return response.IsFailure ? response.Error : Result.Success();
        }

        if (subscription.Bool("cancel_at_period_end") == true)
        {
            return CancelScheduled;
        }

        var schedule = subscription.Ref("schedule") is { } scheduleId
            ? await client.SendAsync(StripeRequests.RetrieveSchedule(scheduleId), cancellationToken)
            : await client.SendAsync(StripeRequests.CreateScheduleFromSubscription(request.ProviderSubscriptionId, idempotencyKey + "-schedule"), cancellationToken);
        if (schedule.IsFailure)
        {
            return schedule.Error;
        }

        var item = subscription.Get("items.data.0")!.Value;
        var start = schedule.Value.Time("current_phase.start_date") ?? schedule.Value.Time("phases.0.start_date");
        var end = schedule.Value.Time("current_phase.end_date") ?? schedule.Value.Time("phases.0.end_date");
        if (schedule.Value.Str("id") is not { } id || item.Ref("price") is not { } priceId || start is null || end is null)
        {
            return PaymentsErrors.ProviderUnavailable;
        }

        var phase = new SchedulePhase(priceId, (int)(item.Long("quantity") ?? 1), start.Value, end.Value);
        var updated = await client.SendAsync(
            StripeRequests.ScheduleChangeAtPeriodEnd(id, phase, request.ProviderPriceId, request.Quantity, idempotencyKey + "-phases"), cancellationToken);
        return updated.IsFailure ? updated.Error : Result.Success();
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
        return StripeEntity.FromJson(obj.GetRawText()) is { } typed ? _normalizer.FromObject(type, eventId, now, typed) : PaymentsErrors.ProviderUnavailable;
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
            if (string.Equals(name, StripeWebhookSignature.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                signature = value;
            }
        }

        // Verify and read the envelope only: the event is parsed into Stripe.net objects when it is applied.
        return StripeWebhookSignature.Verify(Encoding.UTF8.GetString(body), signature, options.WebhookSecrets, now, options.WebhookToleranceSeconds)
            ? StripeEventNormalizer.ReadEnvelope(body)
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

    private static async Task<Result> ReleaseScheduleAsync(StripeClient client, JsonElement subscription, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (subscription.Ref("schedule") is not { } scheduleId)
        {
            return Result.Success();
        }

        var released = await client.SendAsync(StripeRequests.ReleaseSchedule(scheduleId, idempotencyKey + "-release"), cancellationToken);
        return released.IsFailure ? released.Error! : Result.Success();
    }

    private StripeClient Client() => ActivatorUtilities.CreateInstance<StripeClient>(services, httpClients.CreateClient(StripeClient.HttpClientName));

    private static Result<string> Required(string? id) => id is null ? PaymentsErrors.ProviderUnavailable : id;
}
