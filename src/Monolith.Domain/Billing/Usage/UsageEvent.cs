using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Usage;

public enum UsageMode
{
    /// <summary>Adds the quantity to the period's running total.</summary>
    Add,

    /// <summary>Replaces the period's running total with the quantity (a meter reading).</summary>
    SetTotal,
}

/// <summary>
/// One append-only usage record for a metered feature, unique per (account, idempotency key). Never updated.
/// </summary>
public sealed class UsageEvent : AggregateRoot<Guid>
{
    public const int MaxIdempotencyKeyLength = 200;

    private UsageEvent()
    {
        FeatureId = string.Empty;
        IdempotencyKey = string.Empty;
    }

    public Guid BillingAccountId { get; private set; }
    public string FeatureId { get; private set; }
    public long Quantity { get; private set; }
    public string IdempotencyKey { get; private set; }
    public DateTimeOffset PeriodStart { get; private set; }
    public DateTimeOffset PeriodEnd { get; private set; }
    public UsageMode Mode { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    public static Result<UsageEvent> Record(
        Guid id,
        Guid billingAccountId,
        string featureId,
        long quantity,
        string idempotencyKey,
        DateTimeOffset periodStart,
        DateTimeOffset periodEnd,
        UsageMode mode,
        DateTimeOffset recordedAt,
        UsageRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var feature = featureId?.Trim() ?? string.Empty;
        if (!BillingIds.IsSlug(feature))
        {
            return UsageErrors.FeatureIdInvalid;
        }

        var key = idempotencyKey?.Trim() ?? string.Empty;
        if (key.Length is 0 or > MaxIdempotencyKeyLength)
        {
            return UsageErrors.IdempotencyKeyInvalid;
        }

        if (periodEnd <= periodStart)
        {
            return UsageErrors.PeriodInvalid;
        }

        if (!Enum.IsDefined(mode))
        {
            return UsageErrors.ModeInvalid;
        }

        if (mode == UsageMode.Add ? quantity <= 0 : quantity < 0)
        {
            return UsageErrors.QuantityInvalid;
        }

        if (quantity > rules.MaxQuantityPerEvent)
        {
            return UsageErrors.QuantityTooLarge(rules);
        }

        var usage = new UsageEvent
        {
            Id = id,
            BillingAccountId = billingAccountId,
            FeatureId = feature,
            Quantity = quantity,
            IdempotencyKey = key,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            Mode = mode,
            RecordedAt = recordedAt,
        };
        usage.Raise(new UsageRecorded(id, billingAccountId, feature, quantity, mode, periodStart, periodEnd, recordedAt));
        return usage;
    }
}

/// <summary>Computes usage from the ledger. Pure; no sum here can overflow.</summary>
public static class UsageLedger
{
    /// <summary>
    /// The usage of <paramref name="featureId"/> in the period [start, end): events of that exact period in recorded
    /// order (ties keep the given order); Add adds, SetTotal replaces the running total. Rows the rules would refuse
    /// today (written before they existed, or directly) still read: a negative quantity counts as 0 and the total
    /// saturates at <see cref="long.MaxValue"/> instead of wrapping or throwing.
    /// </summary>
    public static long Used(IEnumerable<UsageEvent> events, string featureId, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(events);

        var total = 0L;
        foreach (var usage in events
                     .Where(e => string.Equals(e.FeatureId, featureId, StringComparison.Ordinal)
                                 && e.PeriodStart == periodStart
                                 && e.PeriodEnd == periodEnd)
                     .OrderBy(e => e.RecordedAt))
        {
            var quantity = Math.Max(usage.Quantity, 0);
            total = usage.Mode == UsageMode.SetTotal ? quantity : SaturatingAdd(total, quantity);
        }

        return total;
    }

    /// <summary>
    /// The period's total once <paramref name="usage"/> is counted on top of <paramref name="usedBefore"/>, or
    /// <see cref="UsageErrors.PeriodTotalExceeded"/> when that would pass <see cref="UsageRules.MaxTotalPerPeriod"/>.
    /// </summary>
    public static Result<long> TotalAfter(long usedBefore, UsageEvent usage, UsageRules rules)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(rules);

        var after = usage.Mode == UsageMode.SetTotal ? usage.Quantity : SaturatingAdd(Math.Max(usedBefore, 0), usage.Quantity);
        return after > rules.MaxTotalPerPeriod ? UsageErrors.PeriodTotalExceeded(rules) : after;
    }

    /// <summary>Balance left under a limit (negative when over it); both are non-negative, so this cannot overflow.</summary>
    public static long Balance(long limit, long used) => checked(Math.Max(limit, 0) - Math.Max(used, 0));

    private static long SaturatingAdd(long total, long quantity) => total > long.MaxValue - quantity ? long.MaxValue : total + quantity;
}

public sealed record UsageRecorded(
    Guid UsageEventId, Guid BillingAccountId, string FeatureId, long Quantity, UsageMode Mode, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    DateTimeOffset OccurredAt) : IDomainEvent;

public static class UsageErrors
{
    public static readonly Error FeatureIdInvalid =
        Error.Validation("billing.usage.feature_id_invalid", "A feature id is a lower-case slug.");

    public static readonly Error IdempotencyKeyInvalid =
        Error.Validation("billing.usage.idempotency_key_invalid", $"An idempotency key has 1 to {UsageEvent.MaxIdempotencyKeyLength} characters.");

    public static readonly Error PeriodInvalid =
        Error.Validation("billing.usage.period_invalid", "A usage period must end after it starts.");

    public static readonly Error ModeInvalid =
        Error.Validation("billing.usage.mode_invalid", "Unknown usage mode.");

    public static readonly Error QuantityInvalid =
        Error.Validation("billing.usage.quantity_invalid", "Added usage must be positive; a total cannot be negative.");

    public static readonly Error MaxQuantityPerEventInvalid =
        Error.Validation("billing.usage.max_quantity_per_event_invalid", "The most one usage event may carry must be at least 1.");

    public static readonly Error MaxTotalPerPeriodInvalid =
        Error.Validation("billing.usage.max_total_per_period_invalid",
            $"The most a period total may reach must be at least the per-event maximum and at most {UsageRules.CeilingOfMaxTotalPerPeriod}.");

    public static Error QuantityTooLarge(UsageRules rules) =>
        Error.Validation("billing.usage.quantity_too_large", $"One usage event may carry at most {rules.MaxQuantityPerEvent}.");

    public static Error PeriodTotalExceeded(UsageRules rules) =>
        Error.Validation("billing.usage.period_total_exceeded", $"A feature's usage in one billing period may reach at most {rules.MaxTotalPerPeriod}.");
}
