namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>Delivery misbehaviour switches, seeded from <c>Payments:InMemory:Chaos</c> and changeable at run time.</summary>
public sealed class SimulatorChaos
{
    private int _failNext;

    public SimulatorChaos(SimulatorChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Duplicates = options.Duplicates;
        Shuffle = options.Shuffle;
        DelayMilliseconds = options.DelayMilliseconds;
        _failNext = options.FailFirstDeliveries;
    }

    public bool Duplicates { get; set; }

    public bool Shuffle { get; set; }

    public int DelayMilliseconds { get; set; }

    /// <summary>How many upcoming delivery attempts will be treated as failed.</summary>
    public int FailNextDeliveries
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, Math.Max(0, value));
    }

    internal bool TakeForcedFailure()
    {
        while (true)
        {
            var current = Volatile.Read(ref _failNext);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNext, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
