using System.Threading.RateLimiting;

namespace Monolith.Web.Common;

/// <summary>
/// A fixed-window limiter that knows when its window ends, so a refusal says how long until the next permit.
/// (.NET's <see cref="FixedWindowRateLimiter"/> reports a whole window as <c>RetryAfter</c>, however much of it is
/// left.) Windows start at the partition's first request and follow each other back to back; no queueing.
/// </summary>
internal sealed class FixedWindowLimiter(int permitLimit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly object _gate = new();
    private DateTimeOffset _windowStart = clock.GetUtcNow();
    private int _used;

    /// <summary>Idle once the window its permits were counted in has ended (forgetting it then loses nothing).</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var end = _windowStart + window;
                var now = clock.GetUtcNow();
                return now >= end ? now - end : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            Roll(clock.GetUtcNow());
            return new RateLimiterStatistics { CurrentAvailablePermits = permitLimit - _used };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            Roll(now);
            if (_used + Math.Max(permitCount, 1) <= permitLimit)
            {
                _used += permitCount;
                return Lease.Acquired;
            }

            return new Lease(false, _windowStart + window - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Roll(DateTimeOffset now)
    {
        if (now < _windowStart + window)
        {
            return;
        }

        var elapsedWindows = (now - _windowStart).Ticks / window.Ticks;
        _windowStart += TimeSpan.FromTicks(elapsedWindows * window.Ticks);
        _used = 0;
    }

    private sealed class Lease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, TimeSpan.Zero);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!acquired && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
