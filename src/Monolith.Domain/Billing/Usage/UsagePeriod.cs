using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Domain.Billing.Usage;

/// <summary>The billing period metered usage is counted in.</summary>
public static class UsagePeriod
{
    /// <summary>
    /// The current period of the account's live subscription whose period contains <paramref name="now"/> (the one that
    /// started last, if several); without one, the calendar month (UTC) containing <paramref name="now"/>.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Current(IEnumerable<SubscriptionAccess> subscriptions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);

        var live = subscriptions
            .Where(s => !SubscriptionTransitions.IsTerminal(s.Status) && s.CurrentPeriodStart <= now && now < s.CurrentPeriodEnd)
            .OrderByDescending(s => s.CurrentPeriodStart)
            .Select(s => ((DateTimeOffset Start, DateTimeOffset End)?)(s.CurrentPeriodStart, s.CurrentPeriodEnd))
            .FirstOrDefault();
        return live ?? CalendarMonth(now);
    }

    public static (DateTimeOffset Start, DateTimeOffset End) CalendarMonth(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1));
    }
}
