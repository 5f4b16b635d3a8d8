using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Dunning;

/// <summary>
/// The fact that a past-due subscription's owner is due a payment reminder. Append-only; at most one per subscription
/// and reminder slot (the database enforces it), and the job that raises it waits a full interval between two.
/// Raising it puts <see cref="DunningReminderDue"/> into the outbox, where the email handlers pick it up.
/// </summary>
public sealed class DunningReminder : AggregateRoot<Guid>
{
    private DunningReminder()
    {
    }

    public Guid SubscriptionId { get; private set; }
    public Guid BillingAccountId { get; private set; }

    /// <summary><c>RemindedAt.UtcTicks / interval.Ticks</c>: two instances racing for the same reminder collide on it.</summary>
    public long Slot { get; private set; }

    /// <summary>1 for the first reminder of this subscription, then 2, 3, …</summary>
    public int Number { get; private set; }

    public DateTimeOffset RemindedAt { get; private set; }

    public static Result<DunningReminder> Raise(Guid id, Subscription subscription, int number, TimeSpan interval, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.Status != SubscriptionStatus.PastDue)
        {
            return DunningErrors.NotPastDue;
        }

        if (interval <= TimeSpan.Zero || number < 1)
        {
            return DunningErrors.InvalidSchedule;
        }

        var reminder = new DunningReminder
        {
            Id = id,
            SubscriptionId = subscription.Id,
            BillingAccountId = subscription.BillingAccountId,
            Slot = now.UtcTicks / interval.Ticks,
            Number = number,
            RemindedAt = now,
        };
        reminder.Raise(new DunningReminderDue(id, subscription.Id, subscription.BillingAccountId, subscription.PlanId, number, now));
        return reminder;
    }
}

/// <summary>A past-due subscription's owner should be reminded to update the payment method (the <paramref name="Number"/>-th time).</summary>
public sealed record DunningReminderDue(
    Guid ReminderId, Guid SubscriptionId, Guid BillingAccountId, string PlanId, int Number, DateTimeOffset OccurredAt) : IDomainEvent;

public static class DunningErrors
{
    public static readonly Error NotPastDue =
        Error.Rule("billing.dunning.not_past_due", "Only a past-due subscription gets payment reminders.");

    public static readonly Error InvalidSchedule =
        Error.Validation("billing.dunning.invalid_schedule", "The reminder interval must be positive and the number at least 1.");
}
