using System.Net;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Common;
using Stripe;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Runs one Stripe.net call and turns what it throws into port errors. Stripe.net has already retried what is safe to
/// retry (connection errors, timeouts, 409, 5xx, <c>Stripe-Should-Retry: true</c>) with the same idempotency key;
/// what reaches here is final. Logged: the operation, the status, Stripe's error type/code and its <c>Request-Id</c>
/// (never the key, never a request body).
/// </summary>
internal sealed class StripeCall(ILogger<StripeCall> logger)
{
    /// <summary>Stripe's key was refused (401) or lacks a permission (403): a server configuration problem (501).</summary>
    public static readonly Error KeyRejected = Error.NotConfigured(
        "billing.provider.not_configured", "Payments are not configured on this server (the payment provider refused its credentials).");

    public async Task<Result<T>> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (StripeException ex)
        {
            logger.LogWarning(
                "Stripe {Operation} answered {Status} {Type}/{Code} (Request-Id {RequestId}).",
                operation, (int)ex.HttpStatusCode, ex.StripeError?.Type, ex.StripeError?.Code, ex.StripeResponse?.RequestId);
            return ToError(ex.HttpStatusCode, ex.StripeError);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A connection error or the per-attempt timeout on the last attempt.
            logger.LogWarning("Stripe {Operation} failed after retries: {Error}.", operation, ex.GetType().Name);
            return PaymentsErrors.ProviderUnavailable;
        }
    }

    public async Task<Result> ExecuteAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var result = await RunAsync(operation, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return result.IsFailure ? result.Error! : Result.Success();
    }

    internal static Error ToError(HttpStatusCode status, StripeError? error) => (status, error?.Type) switch
    {
        (_, "card_error") or (HttpStatusCode.PaymentRequired, _) =>
            PaymentsErrors.CardDeclined(error?.Type == "card_error" && !string.IsNullOrWhiteSpace(error.Message) ? error.Message : "The card was declined."),
        // A rate limit or a lock timeout (Stripe types the latter invalid_request_error): trying again later can work.
        (HttpStatusCode.TooManyRequests, _) or (_, "rate_limit_error") => PaymentsErrors.ProviderUnavailable,
        (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) or (_, "authentication_error" or "permission_error") => KeyRejected,
        (HttpStatusCode.NotFound, _) or (_, "invalid_request_error") when error?.Code == "resource_missing" => PaymentsErrors.NotFound,
        (HttpStatusCode.BadRequest or HttpStatusCode.NotFound, _) or (_, "invalid_request_error" or "idempotency_error") =>
            PaymentsErrors.InvalidRequest(
                $"The payment provider refused the request ({error?.Code ?? error?.Type ?? "invalid_request"}{(error?.Param is null ? string.Empty : $", {error.Param}")})."),
        _ => PaymentsErrors.ProviderUnavailable,
    };
}
