namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>
/// The simulator's test clock: simulated now = real now + an offset. Advancing processes everything that falls due
/// (renewals, trial ends, dunning, cancellations at period end, checkout expiry) and emits the events.
/// </summary>
public sealed class SimulatorClock(SimulatorState state)
{
    public DateTimeOffset Now => state.Now;

    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        state.Advance(by);
        return Task.CompletedTask;
    }
}
