using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Common;
using Polly.Timeout;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// The project's own small Stripe REST client (Stripe.net is not available here): form-encoded requests, JSON
/// responses, <c>Stripe-Version</c> pinned, the secret key as Bearer token (never logged), <c>Idempotency-Key</c> on
/// every mutating call (POST and DELETE). Retries live in <see cref="StripeResilienceHandler"/>; here Stripe's answers become port errors.
/// </summary>
internal sealed class StripeClient(HttpClient http, ILogger<StripeClient> logger)
{
    public const string HttpClientName = "stripe";

    /// <summary>Stripe's key was refused (401) or lacks a permission (403): a server configuration problem (501).</summary>
    public static readonly Error KeyRejected = Error.NotConfigured(
        "billing.provider.not_configured", "Payments are not configured on this server (the payment provider refused its credentials).");

    public async Task<Result<JsonElement>> SendAsync(StripeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Method == HttpMethod.Get && request.Parameters.Count > 0 ? "?" + StripeRequests.Encode(request.Parameters) : string.Empty;
        using var message = new HttpRequestMessage(request.Method, request.Path.TrimStart('/') + query);
        if (request.Method != HttpMethod.Get)
        {
            message.Content = new StringContent(StripeRequests.Encode(request.Parameters), Encoding.UTF8, "application/x-www-form-urlencoded");
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        if (request.IdempotencyKey is { } key && request.Method != HttpMethod.Get)
        {
            message.Headers.Add("Idempotency-Key", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Stripe {Method} {Path} failed after retries: {Error}.", request.Method, request.SpecPath, ex.GetType().Name);
            return PaymentsErrors.ProviderUnavailable;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var requestId = RequestId(response);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    using var document = JsonDocument.Parse(body);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    logger.LogWarning("Stripe {Method} {Path} answered a body that is not JSON (Request-Id {RequestId}).", request.Method, request.SpecPath, requestId);
                    return PaymentsErrors.ProviderUnavailable;
                }
            }

            var error = ReadError(body);
            logger.LogWarning(
                "Stripe {Method} {Path} answered {Status} {Type}/{Code} (Request-Id {RequestId}).",
                request.Method, request.SpecPath, (int)response.StatusCode, error.Type, error.Code, requestId);
            return ToError(response.StatusCode, error);
        }
    }

    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Request-Id", out var values) ? values.FirstOrDefault() : null;

    internal static Error ToError(HttpStatusCode status, StripeError error) => (status, error.Type) switch
    {
        (_, "card_error") or (HttpStatusCode.PaymentRequired, _) =>
            PaymentsErrors.CardDeclined(error.Type == "card_error" && !string.IsNullOrWhiteSpace(error.Message) ? error.Message : "The card was declined."),
        (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) or (_, "authentication_error" or "permission_error") => KeyRejected,
        (HttpStatusCode.NotFound, _) or (_, "invalid_request_error") when error.Code == "resource_missing" => PaymentsErrors.NotFound,
        (HttpStatusCode.BadRequest or HttpStatusCode.NotFound, _) or (_, "invalid_request_error" or "idempotency_error") =>
            PaymentsErrors.InvalidRequest(
                $"The payment provider refused the request ({error.Code ?? error.Type ?? "invalid_request"}{(error.Param is null ? string.Empty : $", {error.Param}")})."),
        _ => PaymentsErrors.ProviderUnavailable,
    };

    private static StripeError ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var e = document.RootElement;
            return new StripeError(e.Str("error.type"), e.Str("error.code"), e.Str("error.decline_code"), e.Str("error.message"), e.Str("error.param"));
        }
        catch (JsonException)
        {
            return new StripeError(null, null, null, null, null);
        }
    }
}

internal sealed record StripeError(string? Type, string? Code, string? DeclineCode, string? Message, string? Param);
