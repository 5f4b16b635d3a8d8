using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>One delivery attempt, as the clock page and tests see it.</summary>
public sealed record SimulatorDelivery(string EventId, string EventType, int Attempt, bool Delivered, string Outcome, DateTimeOffset At);

/// <summary>
/// Delivers simulator events like a real provider: in the background (never inside the request that caused them),
/// signed at each attempt, POSTed to <c>{base}/webhooks/inmemory</c>, retried with exponential backoff on non-2xx or
/// connection errors up to a bounded number of attempts, with the same event id and body every time.
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
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
                delivered = response.IsSuccessStatusCode;
                outcome = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                outcome = $"connection failed: {ex.GetType().Name}";
            }
        }

        Record(new SimulatorDelivery(e.Id, e.Type, attempt, delivered, outcome, time.GetUtcNow()));
        if (!delivered)
        {
            LogAttemptFailed(logger, e.Id, e.Type, attempt, outcome);
        }

        return delivered;
    }

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
