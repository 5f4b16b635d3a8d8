using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Outbox;

/// <summary>Section <c>Outbox</c> (env <c>Outbox__…</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Fallback polling when no in-process wake signal arrives (other instances' commits, due retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages fanned out, and deliveries claimed by one worker, per round trip.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a claim is held; a crashed worker's deliveries are taken by others after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a delivery is parked as dead.</summary>
    public int MaxAttempts { get; set; } = 10;

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>/health/ready turns unhealthy when the oldest due outbox work has waited longer than this.</summary>
    public TimeSpan ReadyMaxLag { get; set; } = TimeSpan.FromMinutes(5);

    public OutboxWorkerOptions Workers { get; set; } = new();

    public OutboxHandoverOptions Handover { get; set; } = new();
}

/// <summary>Section <c>Outbox:Handover</c>: what happens to a delivery that still fails after <see cref="OutboxOptions.MaxAttempts"/>.</summary>
public sealed class OutboxHandoverOptions
{
    /// <summary>
    /// Hand it over to one Hangfire job (docs/outbox.md) instead of parking it as dead. Takes effect only where
    /// <c>Jobs:Enabled</c> (a Hangfire server runs); otherwise the delivery is parked as dead, as before.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Hangfire retries of a handed-over delivery before its job stays Failed on the dashboard.</summary>
    public int Attempts { get; set; } = 10;

    /// <summary>Fixed delay between Hangfire retries; null (the default) is Hangfire's own back-off (attempt⁴ + 15 s + jitter).</summary>
    public TimeSpan? RetryDelay { get; set; }
}

public sealed class OutboxWorkerOptions
{
    /// <summary>Run the dispatcher and workers in this process (tests that drive the outbox by hand turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Worker loops in this process, each claiming up to <see cref="OutboxOptions.BatchSize"/> deliveries.</summary>
    public int Concurrency { get; set; } = 2;
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        List<string> failures = [];
        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Outbox:PollInterval (env Outbox__PollInterval) must be between 00:00:00.010 and 00:05:00.");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add("Outbox:BatchSize (env Outbox__BatchSize) must be between 1 and 1000.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            failures.Add("Outbox:LeaseDuration (env Outbox__LeaseDuration) must be at least 00:00:01.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add("Outbox:MaxAttempts (env Outbox__MaxAttempts) must be between 1 and 100.");
        }

        if (options.BackoffBase <= TimeSpan.Zero)
        {
            failures.Add("Outbox:BackoffBase (env Outbox__BackoffBase) must be positive.");
        }

        if (options.BackoffCap < options.BackoffBase)
        {
            failures.Add("Outbox:BackoffCap (env Outbox__BackoffCap) must be at least Outbox:BackoffBase.");
        }

        if (options.ReadyMaxLag < TimeSpan.FromSeconds(1))
        {
            failures.Add("Outbox:ReadyMaxLag (env Outbox__ReadyMaxLag) must be at least 00:00:01.");
        }

        if (options.Handover.Attempts is < 0 or > 100)
        {
            failures.Add("Outbox:Handover:Attempts (env Outbox__Handover__Attempts) must be between 0 and 100.");
        }

        if (options.Handover.RetryDelay < TimeSpan.Zero)
        {
            failures.Add("Outbox:Handover:RetryDelay (env Outbox__Handover__RetryDelay) must not be negative.");
        }

        if (options.Workers.Concurrency is < 1 or > 64)
        {
            failures.Add("Outbox:Workers:Concurrency (env Outbox__Workers__Concurrency) must be between 1 and 64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Exponential backoff with jitter: attempt n waits between half and all of min(cap, base · 2^(n-1)).</summary>
internal static class OutboxBackoff
{
    public static TimeSpan Delay(int attempts, TimeSpan backoffBase, TimeSpan cap, Random random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(cap.Ticks, backoffBase.Ticks * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromTicks((long)(half + (random.NextDouble() * half)));
    }
}
