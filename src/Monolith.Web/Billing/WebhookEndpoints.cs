using System.Text;
using MediatR;
using Monolith.Application.Billing.Payments;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;
using Monolith.Application.Billing.Webhooks.ReceivePaymentWebhook;
using Monolith.Application.Common.Telemetry;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Webhooks;
using Monolith.Web.Common;

namespace Monolith.Web.Billing;

/// <summary>
/// <c>POST /webhooks/{provider}</c>: raw body (bounded) → the provider's port verifies the signature before anything
/// is parsed or stored → <see cref="ReceivePaymentWebhookCommand"/> (one durable inbox INSERT; the background applier
/// applies it right behind) → 200. With <c>Webhooks:Processing=Inline</c>: <see cref="HandlePaymentWebhookCommand"/>
/// (inbox, apply, outbox, one commit) → 200. Invalid signature → 400 and nothing stored; a transient failure → 5xx
/// with nothing stored, so the provider retries.
/// </summary>
internal static class WebhookEndpoints
{
    public const int MaxBodyBytes = 256 * 1024;

    public static readonly Error PayloadTooLarge =
        Error.Validation("billing.webhook.payload_too_large", $"A webhook body may be at most {MaxBodyBytes / 1024} KiB.");

    public static readonly Error ProviderUnknown =
        Error.NotFound("billing.webhook.provider_unknown", "No payment provider with this name is configured.");

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{provider}", HandleAsync).AllowAnonymous().DisableAntiforgery().WithTags("Webhooks");
        return app;
    }

    private static async Task<IResult> HandleAsync(
        string provider, HttpContext http, IEnumerable<IPaymentsPort> ports, IMediator mediator, TimeProvider clock, MonolithMetrics metrics,
        IOptions<WebhookOptions> options, CancellationToken ct)
    {
        var port = ports.FirstOrDefault(p => string.Equals(p.Provider, provider, StringComparison.OrdinalIgnoreCase));
        if (port is null)
        {
            return ResultHttp.Problem(ProviderUnknown, http);
        }

        using var activity = MonolithTelemetry.Activities.StartActivity("webhook.receive");
        activity?.SetTag("provider", port.Provider);
        metrics.WebhookReceived(port.Provider);
        var body = await ReadBoundedAsync(http.Request, ct);
        if (body is null)
        {
            metrics.WebhookRejected(port.Provider, PayloadTooLarge.Code);
            var problem = ResultHttp.ToProblemDetails(PayloadTooLarge, http);
            problem.Status = StatusCodes.Status413PayloadTooLarge;
            return Results.Problem(problem);
        }

        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var parsed = port.ParseWebhook(body, headers, clock.GetUtcNow());
        if (parsed.IsFailure)
        {
            metrics.WebhookRejected(port.Provider, parsed.Error.Code);
            return ResultHttp.Problem(parsed.Error, http);
        }

        activity?.SetTag("event_type", parsed.Value.EventType);
        var payload = Encoding.UTF8.GetString(body);
        var inline = options.Value.Processing == WebhookProcessing.Inline;
        var result = inline
            ? await mediator.Send(new HandlePaymentWebhookCommand(port.Provider, parsed.Value, payload), ct)
            : await mediator.Send(new ReceivePaymentWebhookCommand(port.Provider, parsed.Value, payload), ct);
        if (result.IsSuccess)
        {
            if (result.Value.Duplicate)
            {
                metrics.WebhookDuplicate(port.Provider);
            }
            else if (inline || result.Value.Status != WebhookEventStatus.Received)
            {
                // Queued events are counted by the applier when it applies them.
                metrics.WebhookApplied(port.Provider, result.Value.Status.ToString());
            }
        }

        return result.ToHttp(http);
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
