using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>
/// One delivery attempt, as the clock page and tests see it. <paramref name="HttpRetries"/>: how many times the HTTP
/// client's resilience pipeline re-sent the request within this attempt after a transient fault.
/// </summary>
public sealed record SimulatorDelivery(string EventId, string EventType, int Attempt, bool Delivered, string Outcome, DateTimeOffset At, int HttpRetries = 0);

/// <summary>
/// Delivers simulator events like a real provider: in the background (never inside the request that caused them),
/// signed at each attempt, POSTed to <c>{base}/webhooks/inmemory</c>, retried with exponential backoff on non-2xx or
/// connection errors up to a bounded number of attempts, with the same event id and body every time. Below that
/// provider-style schedule the HTTP client carries Microsoft.Extensions.Http.Resilience's standard pipeline
/// (<see cref="ConfigureResilience"/>): a transient fault is re-sent within the attempt.
/// </summary>
public sealed partial class SimulatorWebhookDispatcher(
    IOptions<PaymentsOptions> options,
    SimulatorWebhookSigner signer,
    SimulatorChaos chaos,
    IHttpClientFactory httpClients,
    IServiceProvider services,
    TimeProvider time,
    ILogger<SimulatorWebhookDispatcher> logger) : BackgroundService, ISimulatorEventSink
{
    public const string HttpClientName = "simulator-webhooks";
    private const int LogSize = 500;
    private static readonly HttpRequestOptionsKey<StrongBox<int>> RetriesKey = new("monolith.http-retries");

    private readonly Channel<IReadOnlyList<SimulatorEvent>> _queue = Channel.CreateUnbounded<IReadOnlyList<SimulatorEvent>>();
    private readonly ConcurrentQueue<SimulatorDelivery> _log = new();
    private readonly ConcurrentDictionary<Task, byte> _retries = new();

    /// <summary>The most recent delivery attempts, oldest first.</summary>
    public IReadOnlyList<SimulatorDelivery> RecentDeliveries => [.. _log];

    public void Publish(IReadOnlyList<SimulatorEvent> batch) => _queue.Writer.TryWrite(batch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var e in Arrange(batch))
                {
                    if (!await AttemptAsync(e, 1, stoppingToken))
                    {
                        var retry = RetryAsync(e, stoppingToken);
                        _retries.TryAdd(retry, 0);
                        _ = retry.ContinueWith(t => _retries.TryRemove(t, out _), TaskScheduler.Default);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered events die with the process, as the simulator's state does.
        }

        await Task.WhenAll(_retries.Keys);
    }

    private List<SimulatorEvent> Arrange(IReadOnlyList<SimulatorEvent> batch)
    {
        var list = new List<SimulatorEvent>(batch);
        if (chaos.Duplicates)
        {
            list.AddRange(batch);
        }

        if (chaos.Shuffle)
        {
            var shuffled = list.ToArray();
            Random.Shared.Shuffle(shuffled);
            return [.. shuffled];
        }

        return list;
    }

    private async Task RetryAsync(SimulatorEvent e, CancellationToken stoppingToken)
    {
        var settings = options.Value.InMemory;
        try
        {
            for (var attempt = 2; attempt <= settings.MaxDeliveryAttempts; attempt++)
            {
                var backoff = settings.RetryBaseDelay * Math.Pow(2, attempt - 2);
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff.TotalMilliseconds * 0.1);
                await Task.Delay(backoff + jitter, time, stoppingToken);
                if (await AttemptAsync(e, attempt, stoppingToken))
                {
                    return;
                }
            }

            LogGaveUp(logger, e.Id, e.Type, settings.MaxDeliveryAttempts);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> AttemptAsync(SimulatorEvent e, int attempt, CancellationToken stoppingToken)
    {
        if (chaos.DelayMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(chaos.DelayMilliseconds), time, stoppingToken);
        }

        string outcome;
        var delivered = false;
        var retries = new StrongBox<int>();
        if (chaos.TakeForcedFailure())
        {
            outcome = "chaos: failed on purpose";
        }
        else if (WebhookUrl() is not { } url)
        {
            outcome = "no webhook address yet";
        }
        else
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url);
                request.Content = new ByteArrayContent(e.Body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(SimulatorWebhookSigner.HeaderName, signer.Sign(e.Body, time.GetUtcNow()));
                request.Options.Set(RetriesKey, retries);
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
                delivered = response.IsSuccessStatusCode;
                outcome = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ExecutionRejectedException && !stoppingToken.IsCancellationRequested)
            {
                // ExecutionRejectedException: the pipeline's attempt/total timeout or an open circuit.
                outcome = $"connection failed: {ex.GetType().Name}";
            }
        }

        Record(new SimulatorDelivery(e.Id, e.Type, attempt, delivered, outcome, time.GetUtcNow(), retries.Value));
        if (!delivered)
        {
            LogAttemptFailed(logger, e.Id, e.Type, attempt, outcome);
        }

        return delivered;
    }

    /// <summary>
    /// The standard pipeline (rate limiter, 10 s total timeout, retry, circuit breaker, attempt timeout) tuned for a
    /// webhook POST: up to 2 re-sends 200 ms apart (exponential, jittered) within 10 s, 3 s per try. Only transient
    /// faults are re-sent: a connection error, a try's timeout, 408, 429, 502, 503, 504. A 500 or any other answer is
    /// the receiver's verdict on the event and counts as a failed attempt for the provider-style schedule above (what
    /// Stripe does). The breaker opens at half of at least 20 tries in 30 s failing transiently, for 5 s. Each re-send
    /// is counted on the request and ends up in <see cref="SimulatorDelivery.HttpRetries"/>.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        options.Retry.OnRetry = args =>
        {
            if (args.Context.GetRequestMessage()?.Options.TryGetValue(RetriesKey, out var retries) == true)
            {
                Interlocked.Increment(ref retries.Value);
            }

            return ValueTask.CompletedTask;
        };
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };

    private void Record(SimulatorDelivery delivery)
    {
        _log.Enqueue(delivery);
        while (_log.Count > LogSize && _log.TryDequeue(out _))
        {
        }
    }

    private Uri? WebhookUrl()
    {
        var configured = options.Value.InMemory.WebhookBaseUrl;
        var baseUrl = configured ?? OwnAddress();
        return baseUrl is null ? null : new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "webhooks/inmemory");
    }

    private string? OwnAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator webhook {EventId} ({EventType}) attempt {Attempt} failed: {Outcome}")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string eventType, int attempt, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulator webhook {EventId} ({EventType}) not delivered after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventId, string eventType, int attempts);
}
