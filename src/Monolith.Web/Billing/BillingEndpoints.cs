using MediatR;
using Microsoft.AspNetCore.Mvc;
using Monolith.Application.Billing.Accounts.ChangeBillingEmail;
using Monolith.Application.Billing.Checkout.CreateCheckoutSession;
using Monolith.Application.Billing.Entitlements.CheckEntitlement;
using Monolith.Application.Billing.PaymentMethods.ListPaymentMethods;
using Monolith.Application.Billing.Payments.RefundPayment;
using Monolith.Application.Billing.Portal.CreatePortalSession;
using Monolith.Application.Billing.Subscriptions.CancelSubscription;
using Monolith.Application.Billing.Subscriptions.ChangePlan;
using Monolith.Application.Billing.Subscriptions.ResumeSubscription;
using Monolith.Application.Billing.Entitlements.ListBalances;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Application.Billing.Usage.TrackUsage;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Common;
using Monolith.Web.Common;

namespace Monolith.Web.Billing;

/// <summary>
/// JSON API for billing (SPA/mobile clients). Every call is about the caller's current organisation — their personal
/// one — unless an <c>organizationId</c> they belong to is given. Endpoints bind, send and map; nothing else.
/// </summary>
internal static class BillingEndpoints
{
    public sealed record CheckoutRequest(string PriceId, int Quantity = 1, string? SuccessUrl = null, string? CancelUrl = null);

    public sealed record PortalRequest(string? ReturnUrl = null);

    public sealed record CancelRequest(bool AtPeriodEnd = true);

    public sealed record ChangePlanRequest(string PriceId, int Quantity = 1);

    public sealed record RefundRequest(long? AmountMinor = null, string? Reason = null);

    public sealed record BillingEmailRequest(string Email);

    public sealed record TrackUsageRequest(string FeatureId, long Quantity, UsageMode Mode = UsageMode.Add, string? IdempotencyKey = null);

    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/billing").RequireAuthorization().WithTags("Billing");

        group.MapPost("/checkout", (
                CheckoutRequest body,
                Guid? organizationId,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator,
                IAppOrigin origin,
                HttpContext http,
                CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new CreateCheckoutSessionCommand(org, body.PriceId, body.Quantity,
                body.SuccessUrl ?? new Uri(origin.Current, "/billing/success").ToString(),
                body.CancelUrl ?? new Uri(origin.Current, "/billing/canceled").ToString(),
                idempotencyKey), ct))
            .RequireRateLimiting(RateLimits.Checkout);

        group.MapPost("/portal", (PortalRequest? body, Guid? organizationId, IMediator mediator, IAppOrigin origin, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId,
                org => new CreatePortalSessionCommand(org, body?.ReturnUrl ?? new Uri(origin.Current, "/billing").ToString()), ct));

        group.MapPost("/subscriptions/{subscriptionId:guid}/cancel", (
                Guid subscriptionId, CancelRequest? body, Guid? organizationId, [FromHeader(Name = "Idempotency-Key")] string? key,
                IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new CancelSubscriptionCommand(org, subscriptionId, body?.AtPeriodEnd ?? true, key), ct));

        group.MapPost("/subscriptions/{subscriptionId:guid}/resume", (
                Guid subscriptionId, Guid? organizationId, [FromHeader(Name = "Idempotency-Key")] string? key,
                IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ResumeSubscriptionCommand(org, subscriptionId, key), ct));

        group.MapPost("/subscriptions/{subscriptionId:guid}/change", (
                Guid subscriptionId, ChangePlanRequest body, Guid? organizationId, [FromHeader(Name = "Idempotency-Key")] string? key,
                IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ChangePlanCommand(org, subscriptionId, body.PriceId, body.Quantity, key), ct));

        group.MapPost("/payments/{paymentId:guid}/refunds", (
                Guid paymentId, RefundRequest? body, Guid? organizationId, [FromHeader(Name = "Idempotency-Key")] string? key,
                IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new RefundPaymentCommand(org, paymentId, body?.AmountMinor, body?.Reason, key), ct));

        group.MapPut("/email", (BillingEmailRequest body, Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ChangeBillingEmailCommand(org, body.Email), ct));

        group.MapGet("/subscriptions", (Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ListSubscriptionsQuery(org), ct));

        group.MapGet("/entitlements/{featureId}", (string featureId, Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new CheckEntitlementQuery(org, featureId), ct));

        group.MapGet("/entitlements", ([FromQuery] string? priceId, Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new CheckEntitlementQuery(org, null, priceId), ct));

        group.MapGet("/payment-methods", (Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ListPaymentMethodsQuery(org), ct));

        group.MapGet("/balances", (Guid? organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            SendAsync(mediator, http, organizationId, org => new ListBalancesQuery(org), ct));

        group.MapPost("/usage", (
                TrackUsageRequest body,
                Guid? organizationId,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator,
                HttpContext http,
                CancellationToken ct) =>
            SendAsync(mediator, http, organizationId,
                org => new TrackUsageCommand(org, body.FeatureId, body.Quantity, idempotencyKey ?? body.IdempotencyKey ?? string.Empty, body.Mode), ct))
            .RequireRateLimiting(RateLimits.Usage);

        return app;
    }

    private static async Task<IResult> SendAsync<T>(
        IMediator mediator, HttpContext http, Guid? organizationId, Func<Guid, IRequest<Result<T>>> request, CancellationToken ct)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, organizationId, ct);
        if (organization.IsFailure)
        {
            return ResultHttp.Problem(organization.Error, http);
        }

        return (await mediator.Send(request(organization.Value), ct)).ToHttp(http);
    }
}
