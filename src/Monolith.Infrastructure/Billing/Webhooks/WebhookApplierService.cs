using System.Data.Common;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Webhooks;
using Monolith.Application.Billing.Webhooks.ApplyReceivedWebhooks;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Telemetry;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing.Webhooks;

/// <summary>
/// The background applier (one loop per instance): takes the oldest received inbox events, splits them into
/// <see cref="WebhookApplierOptions.Concurrency"/> lanes by provider customer (<see cref="ApplyLanes"/>), applies each
/// lane as one batch (<see cref="ApplyReceivedWebhooksCommand"/>: one transaction, one commit) concurrently with the
/// others, and goes again while there are more; it
/// sleeps until an event is received here or <see cref="WebhookApplierOptions.PollInterval"/>. When a batch fails
/// (a database error, or a concurrency conflict with another instance) its events are tried one at a time; one whose
/// processing throws something other than a database error is recorded as failed so it cannot block the queue.
/// A round that fails on the database (it is down) is retried with backoff; nothing received is ever lost.
/// </summary>
internal sealed partial class WebhookApplierService(
    IServiceScopeFactory scopes, WebhookApplierWakeup wakeup, IOptions<WebhookOptions> options, IOptions<DatabaseOptions> database,
    MonolithMetrics metrics, TimeProvider clock, ILogger<WebhookApplierService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Applier;
        if (!settings.Enabled)
        {
            return;
        }

        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = wakeup.Received.Next;
            bool busy;
            try
            {
                busy = await RoundAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogRoundFailed(logger, ex);
                var delay = TimeSpan.FromMilliseconds(Math.Min(settings.PollInterval.TotalMilliseconds * 5, 50 * Math.Pow(2, Math.Min(failures - 1, 10))));
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (!busy)
            {
                try
                {
                    await wake.WaitAsync(settings.PollInterval, clock, stoppingToken);
                }
                catch (TimeoutException)
                {
                    // The fallback poll.
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One round: the oldest received events, split into lanes applied concurrently; true when it made progress.</summary>
    internal async Task<bool> RoundAsync(CancellationToken ct)
    {
        var settings = options.Value.Applier;
        var lanes = database.Value.ProviderKind == DatabaseProvider.Postgres ? settings.Concurrency : 1;
        List<List<Guid>> batches;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var next = await scope.ServiceProvider.GetRequiredService<IWebhookInbox>().PeekReceivedAsync(settings.BatchSize * lanes, ct);
            if (next.Count == 0)
            {
                return false;
            }

            var replay = scope.ServiceProvider.GetRequiredService<IWebhookInboxReplay>();
            batches = next
                .GroupBy(e => lanes == 1 ? 0 : replay.ReadEvents(e.Provider, e.Payload) is { IsSuccess: true } read ? ApplyLanes.LaneOf(read.Value, lanes) : 0)
                .Select(lane => lane.Select(e => e.Id).ToList())
                .ToList();
        }

        var progressed = await Task.WhenAll(batches.Select(ids => ApplyBatchAsync(ids, ct)));
        return progressed.Any(p => p);
    }

    /// <summary>One lane's batch in one transaction; on failure its events one at a time.</summary>
    private async Task<bool> ApplyBatchAsync(IReadOnlyList<Guid> next, CancellationToken ct)
    {
        try
        {
            var batch = await SendAsync(new ApplyReceivedWebhooksCommand(next), ct);
            if (batch.IsSuccess)
            {
                return Committed(batch.Value);
            }

            LogBatchRefused(logger, next.Count, batch.Error.Code);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogBatchFailed(logger, ex, next.Count);
        }

        // One at a time: a conflicting event waits for the next round; a poisonous one is recorded as failed.
        var progressed = false;
        foreach (var id in next)
        {
            try
            {
                var single = await SendAsync(new ApplyReceivedWebhooksCommand([id]), ct);
                progressed |= single.IsSuccess && Committed(single.Value);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && !IsDatabaseError(ex))
            {
                LogEventFailed(logger, ex, id);
                var failed = await SendAsync(new FailReceivedWebhookCommand(id, $"{ex.GetType().Name}: {ex.Message}"), ct);
                progressed |= failed.IsSuccess && failed.Value;
            }
        }

        return progressed;
    }

    /// <summary>Counts a committed batch's outcomes (never a rolled-back one's); true when it processed anything.</summary>
    private bool Committed(ApplyReceivedWebhooksResult result)
    {
        foreach (var outcome in result.Outcomes)
        {
            metrics.WebhookApplied(outcome.Provider, outcome.Status.ToString());
        }

        return result.Claimed > 0;
    }

    private static bool IsDatabaseError(Exception ex) => ex is DbException || ex.InnerException is DbException || ex is TimeoutException;

    /// <summary>One command in its own scope (its own DbContext and transaction).</summary>
    private async Task<Domain.Common.Result<TResponse>> SendAsync<TResponse>(IRequest<Domain.Common.Result<TResponse>> command, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook applier round failed; retrying shortly.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} received webhooks was refused ({Code}); applying them one at a time.")]
    private static partial void LogBatchRefused(ILogger logger, int count, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} received webhooks failed; applying them one at a time.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Received webhook {WebhookEventId} could not be processed; it is recorded as failed.")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, Guid webhookEventId);
}

/// <summary>Registration of the webhook inbox, the background applier and its settings.</summary>
internal static class WebhookRegistration
{
    public static IServiceCollection AddWebhookInbox(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookApplierWakeup>();
        services.AddSingleton<WebhookInboxDataSource>();
        services.AddScoped<IWebhookInbox, WebhookInbox>();
        services.AddHostedService<WebhookApplierService>();
        services.AddHealthChecks().AddCheck<WebhookInboxHealthCheck>("webhooks", tags: ["ready"]);
        return services;
    }
}
