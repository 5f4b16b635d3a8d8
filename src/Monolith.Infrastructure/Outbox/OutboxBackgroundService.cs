using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Outbox;

/// <summary>
/// One dispatcher loop and <see cref="OutboxWorkerOptions.Concurrency"/> worker loops. Each loop works while there is
/// work, then sleeps until the in-process wake signal or <see cref="OutboxOptions.PollInterval"/>, whichever is first.
/// A failing round (database down) is logged and retried after the poll interval; it never stops the host.
/// </summary>
internal sealed partial class OutboxBackgroundService(
    OutboxEngine engine, OutboxWakeup wakeup, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxBackgroundService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Workers.Enabled)
        {
            return Task.CompletedTask;
        }

        var loops = new List<Task> { Task.Run(() => LoopAsync("dispatcher", wakeup.Messages, DispatchRoundAsync, stoppingToken), stoppingToken) };
        for (var i = 0; i < settings.Workers.Concurrency; i++)
        {
            loops.Add(Task.Run(() => LoopAsync("worker", wakeup.Deliveries, WorkRoundAsync, stoppingToken), stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>True when the round found work (so the loop goes again at once).</summary>
    private async Task<bool> DispatchRoundAsync(CancellationToken ct) => await engine.DispatchAsync(ct) > 0;

    private async Task<bool> WorkRoundAsync(CancellationToken ct)
    {
        var claimed = await engine.ClaimAsync(options.Value.BatchSize, ct);
        foreach (var delivery in claimed)
        {
            await engine.ProcessAsync(delivery, ct);
        }

        return claimed.Count > 0;
    }

    private async Task LoopAsync(string role, AsyncSignal signal, Func<CancellationToken, Task<bool>> round, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wake = signal.Next;
            bool busy;
            try
            {
                busy = await round(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex, role);
                busy = false;
            }

            if (!busy)
            {
                try
                {
                    await wake.WaitAsync(options.Value.PollInterval, clock, ct);
                }
                catch (TimeoutException)
                {
                    // The fallback poll.
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Role} round failed; retrying after the poll interval.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string role);
}
