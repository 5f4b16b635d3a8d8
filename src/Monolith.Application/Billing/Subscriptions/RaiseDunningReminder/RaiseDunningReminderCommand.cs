using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Dunning;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions.RaiseDunningReminder;

/// <summary>
/// Raises <see cref="DunningReminderDue"/> (into the outbox) for a past-due subscription, unless one was raised less
/// than <see cref="Interval"/> ago. Not past due, or reminded recently: success, nothing raised.
/// </summary>
public sealed record RaiseDunningReminderCommand(Guid SubscriptionId, TimeSpan Interval) : ICommand<RaiseDunningReminderResult>, ISystemRequest;

public sealed record RaiseDunningReminderResult(bool Raised, int? Number);

internal sealed class RaiseDunningReminderHandler(IAppDbContext db, TimeProvider clock)
    : IRequestHandler<RaiseDunningReminderCommand, Result<RaiseDunningReminderResult>>
{
    public async Task<Result<RaiseDunningReminderResult>> Handle(RaiseDunningReminderCommand request, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SubscriptionId, cancellationToken);
        if (subscription is not { Status: SubscriptionStatus.PastDue })
        {
            return new RaiseDunningReminderResult(false, null);
        }

        var now = clock.GetUtcNow();
        var since = now - request.Interval;
        var previous = await db.DunningReminders.AsNoTracking().Where(r => r.SubscriptionId == subscription.Id)
            .GroupBy(r => r.SubscriptionId)
            .Select(g => new { Count = g.Count(), Last = g.Max(r => r.RemindedAt) })
            .FirstOrDefaultAsync(cancellationToken);
        if (previous is not null && previous.Last > since)
        {
            return new RaiseDunningReminderResult(false, null);
        }

        var reminder = DunningReminder.Raise(Guid.NewGuid(), subscription, (previous?.Count ?? 0) + 1, request.Interval, now);
        if (reminder.IsFailure)
        {
            return reminder.Error;
        }

        db.DunningReminders.Add(reminder.Value);
        return new RaiseDunningReminderResult(true, reminder.Value.Number);
    }
}
