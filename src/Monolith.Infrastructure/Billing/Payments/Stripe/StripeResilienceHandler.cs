using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Retries Stripe calls through a Polly.Core pipeline: connection errors, per-attempt timeouts, 409, 429 and 5xx are
/// retried with bounded exponential backoff and jitter, honouring <c>Retry-After</c> and <c>Stripe-Should-Retry</c>.
/// Every attempt is a copy of the same request, so the <c>Idempotency-Key</c> is the same on each.
/// </summary>
internal sealed class StripeResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public StripeResilienceHandler(StripePaymentsOptions options, ILogger<StripeResilienceHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryDelay)),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "Stripe call retry {Attempt} after {Delay} ({Status}, Request-Id {RequestId}).",
                        args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Result is { } r ? (int)r.StatusCode : args.Outcome.Exception?.GetType().Name,
                        args.Outcome.Result is { } response ? StripeClient.RequestId(response) : null);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(TimeSpan.FromSeconds(options.RequestTimeoutSeconds)).Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentType = request.Content?.Headers.ContentType;
        return await _pipeline.ExecuteAsync(
            async ct =>
            {
                using var attempt = Copy(request, body, contentType);
                return await base.SendAsync(attempt, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException
                || (exception is OperationCanceledException && !callerToken.IsCancellationRequested);
        }

        var response = outcome.Result!;
        if (response.Headers.TryGetValues("Stripe-Should-Retry", out var values))
        {
            var value = values.FirstOrDefault();
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        var status = (int)response.StatusCode;
        return status is 409 or 429 or >= 500;
    }

    /// <summary>The server's <c>Retry-After</c> (capped), or null for the pipeline's own backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var retryAfter = response?.Headers.RetryAfter;
        TimeSpan? delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null && response?.Headers.TryGetValues("Retry-After", out var raw) == true &&
            double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            delay = TimeSpan.FromSeconds(seconds);
        }

        return delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d > max ? max : d) : null;
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, System.Net.Http.Headers.MediaTypeHeaderValue? contentType)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            copy.Content.Headers.ContentType = contentType;
        }

        return copy;
    }
}
