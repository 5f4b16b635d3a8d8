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
    OutboxEngine engine, IOutboxHandover handover, OutboxWakeup wakeup, OutboxHeartbeat heartbeat, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxBackgroundService> logger)
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

        if (handover.Active)
        {
            loops.Add(Task.Run(() => HandoverSweepAsync(stoppingToken), stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>True when the round found work (so the loop goes again at once).</summary>
    private async Task<bool> DispatchRoundAsync(CancellationToken ct) => await engine.DispatchAsync(ct) > 0;

    private async Task<bool> WorkRoundAsync(CancellationToken ct)
    {
        var claimed = await engine.ClaimAsync(options.Value.BatchSize, ct);
        await engine.ProcessBatchAsync(claimed, ct);

        return claimed.Count > 0;
    }

    private async Task LoopAsync(string role, AsyncSignal signal, Func<CancellationToken, Task<bool>> round, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var wake = signal.Next;
            bool busy;
            try
            {
                busy = await round(ct);
                failures = 0;
                heartbeat.Beat(clock.GetUtcNow());
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed round (e.g. a transient lock on SQLite) is retried soon: the wake-up it was answering has
                // been used, so waiting for the next one (or the poll) could leave committed work idle.
                failures++;
                LogRoundFailed(logger, ex, role);
                if (!await DelayAsync(RetryDelay(failures), ct))
                {
                    return;
                }

                continue;
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

    /// <summary>
    /// Finishes handovers a kill or a storage outage left without a Hangfire job: once at start (which also re-creates
    /// jobs Hangfire.InMemory lost with the previous process), then every <c>RecoveryGrace</c>.
    /// </summary>
    private async Task HandoverSweepAsync(CancellationToken ct)
    {
        var atStart = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await handover.RecoverAsync(atStart, ct);
                atStart = false;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex, "handover sweep");
            }

            if (!await DelayAsync(Jobs.OutboxHandover.RecoveryGrace, ct))
            {
                return;
            }
        }
    }

    /// <summary>50 ms, 100 ms, 200 ms … doubling per consecutive failure, never longer than the poll interval.</summary>
    private TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(options.Value.PollInterval.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(failures - 1, 10))));

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Role} round failed; retrying shortly.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string role);
}
