using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Usage;

/// <summary>
/// The catalogue's bounds on metered usage: how much one event may carry and how high a period's total may go. They
/// keep every sum the ledger computes far inside <see cref="long"/>, whatever a client sends.
/// </summary>
public sealed record UsageRules
{
    public const long DefaultMaxQuantityPerEvent = 1_000_000_000;

    public const long DefaultMaxTotalPerPeriod = 1_000_000_000_000_000;

    /// <summary>The highest ceiling a period total may be given: half of <see cref="long.MaxValue"/>, headroom for concurrent events.</summary>
    public const long CeilingOfMaxTotalPerPeriod = long.MaxValue / 2;

    private UsageRules(long maxQuantityPerEvent, long maxTotalPerPeriod)
    {
        MaxQuantityPerEvent = maxQuantityPerEvent;
        MaxTotalPerPeriod = maxTotalPerPeriod;
    }

    public static UsageRules Default { get; } = new(DefaultMaxQuantityPerEvent, DefaultMaxTotalPerPeriod);

    /// <summary>The most one event may carry, in either mode (a set_total reading is an event too).</summary>
    public long MaxQuantityPerEvent { get; }

    /// <summary>The most a feature's total may reach in one billing period; an event that would pass it is refused.</summary>
    public long MaxTotalPerPeriod { get; }

    public static Result<UsageRules> Create(long maxQuantityPerEvent, long maxTotalPerPeriod)
    {
        if (maxQuantityPerEvent < 1)
        {
            return UsageErrors.MaxQuantityPerEventInvalid;
        }

        if (maxTotalPerPeriod < maxQuantityPerEvent || maxTotalPerPeriod > CeilingOfMaxTotalPerPeriod)
        {
            return UsageErrors.MaxTotalPerPeriodInvalid;
        }

        return new UsageRules(maxQuantityPerEvent, maxTotalPerPeriod);
    }
}
