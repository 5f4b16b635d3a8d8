using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Subscriptions;

/// <summary>Whether a snapshot changed the subscription or was older than what it already holds.</summary>
public enum SnapshotApplication
{
    Applied,
    Stale,
}

/// <summary>
/// A provider subscription mirrored locally. The provider is the source of truth: the aggregate only moves by
/// applying the provider's full snapshots, newest wins (<see cref="SubscriptionSnapshot.CompareRecency"/>), and a
/// terminal status (canceled, incomplete_expired) is never left again.
/// </summary>
public sealed class Subscription : AggregateRoot<Guid>
{
    private Subscription()
    {
        Provider = string.Empty;
        ProviderSubscriptionId = string.Empty;
        PriceId = string.Empty;
        PlanId = string.Empty;
    }

    public Guid BillingAccountId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderSubscriptionId { get; private set; }
    public SubscriptionStatus Status { get; private set; }
    public string PriceId { get; private set; }
    public string PlanId { get; private set; }
    public int Quantity { get; private set; }
    public DateTimeOffset CurrentPeriodStart { get; private set; }
    public DateTimeOffset CurrentPeriodEnd { get; private set; }
    public DateTimeOffset? TrialEnd { get; private set; }
    public bool CancelAtPeriodEnd { get; private set; }
    public DateTimeOffset? CanceledAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The provider timestamp of the snapshot the aggregate currently mirrors; orders later snapshots.</summary>
    public DateTimeOffset? LastSnapshotAt { get; private set; }

    /// <summary>The plan is an add-on (catalogue <c>AddOn</c>): it may run beside the account's base-plan subscription.</summary>
    public bool IsAddOn { get; private set; }

    /// <summary>
    /// Set when this subscription started while <see cref="DuplicateOf"/> already held the account's base-plan slot: it
    /// is recorded (and resolved by ops or automatically, docs/billing.md) but never grants access.
    /// </summary>
    public Guid? DuplicateOf { get; private set; }

    public bool IsTerminal => SubscriptionTransitions.IsTerminal(Status);

    /// <summary>Live (trialing, active, past_due, unpaid, paused or incomplete), base plan, and not a recorded duplicate.</summary>
    public bool HoldsBasePlanSlot => !IsAddOn && DuplicateOf is null && !IsTerminal;

    /// <summary>The one subscription among <paramref name="accountSubscriptions"/> that holds the base-plan slot, if any.</summary>
    public static Subscription? FindLiveBasePlan(IEnumerable<Subscription> accountSubscriptions)
    {
        ArgumentNullException.ThrowIfNull(accountSubscriptions);
        return accountSubscriptions.Where(s => s.HoldsBasePlanSlot).OrderBy(s => s.CurrentPeriodStart).ThenBy(s => s.Id).FirstOrDefault();
    }

    /// <summary>
    /// Creates the local mirror from the first snapshot seen, starting as incomplete and moving to its status.
    /// An account has at most one live base-plan subscription: when <paramref name="accountSubscriptions"/> (the
    /// account's other subscriptions) already hold the slot, a live base-plan snapshot starts as a recorded duplicate
    /// (<see cref="DuplicateOf"/>, <see cref="DuplicateSubscriptionDetected"/>) instead of a second grant.
    /// </summary>
    public static Result<Subscription> Start(
        Guid id, Guid billingAccountId, string provider, SubscriptionSnapshot snapshot, bool isAddOn,
        IEnumerable<Subscription> accountSubscriptions)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(accountSubscriptions);

        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var valid = snapshot.Validate();
        if (valid.IsFailure)
        {
            return valid.Error;
        }

        var subscription = new Subscription
        {
            Id = id,
            BillingAccountId = billingAccountId,
            Provider = validProvider.Value,
            ProviderSubscriptionId = snapshot.ProviderSubscriptionId,
            Status = SubscriptionStatus.Incomplete,
            PriceId = snapshot.PriceId,
            PlanId = snapshot.PlanId,
            Quantity = snapshot.Quantity,
            IsAddOn = isAddOn,
        };
        subscription.Raise(new SubscriptionCreated(id, billingAccountId, subscription.Provider, subscription.ProviderSubscriptionId, snapshot.SnapshotAt));

        var holder = isAddOn || snapshot.IsTerminal
            ? null
            : FindLiveBasePlan(accountSubscriptions.Where(s => s.BillingAccountId == billingAccountId && s.Id != id));
        if (holder is not null)
        {
            subscription.DuplicateOf = holder.Id;
            subscription.Raise(new DuplicateSubscriptionDetected(
                id, billingAccountId, subscription.Provider, subscription.ProviderSubscriptionId, snapshot.PlanId, holder.Id, snapshot.SnapshotAt));
        }

        var applied = subscription.ApplySnapshot(snapshot);
        return applied.IsFailure ? applied.Error : subscription;
    }

    /// <summary>
    /// Mirrors the provider's snapshot if it ranks above the one already applied; otherwise reports it stale and
    /// changes nothing. Raises one event per status transition and per change of plan, seats, period or
    /// cancellation schedule.
    /// </summary>
    public Result<SnapshotApplication> ApplySnapshot(SubscriptionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        var valid = snapshot.Validate();
        if (valid.IsFailure)
        {
            return valid.Error;
        }

        if (!string.Equals(snapshot.ProviderSubscriptionId, ProviderSubscriptionId, StringComparison.Ordinal))
        {
            return SubscriptionErrors.SnapshotOfOtherSubscription;
        }

        var isFirst = LastSnapshotAt is null;
        if (!isFirst && SubscriptionSnapshot.CompareRecency(snapshot, Current()) <= 0)
        {
            return SnapshotApplication.Stale;
        }

        if (snapshot.Status != Status && !SubscriptionTransitions.IsAllowed(Status, snapshot.Status))
        {
            return SubscriptionErrors.TransitionNotAllowed(Status, snapshot.Status);
        }

        var at = snapshot.SnapshotAt;
        if (!isFirst)
        {
            RaiseContentChanges(snapshot, at);
        }

        if (snapshot.CancelAtPeriodEnd && !CancelAtPeriodEnd)
        {
            Raise(new SubscriptionCancelScheduled(Id, BillingAccountId, snapshot.CurrentPeriodEnd, at));
        }
        else if (!snapshot.CancelAtPeriodEnd && CancelAtPeriodEnd)
        {
            Raise(new SubscriptionCancelUnscheduled(Id, BillingAccountId, at));
        }

        PriceId = snapshot.PriceId;
        PlanId = snapshot.PlanId;
        Quantity = snapshot.Quantity;
        CurrentPeriodStart = snapshot.CurrentPeriodStart;
        CurrentPeriodEnd = snapshot.CurrentPeriodEnd;
        TrialEnd = snapshot.TrialEnd;
        CancelAtPeriodEnd = snapshot.CancelAtPeriodEnd;
        CanceledAt = snapshot.CanceledAt;
        EndedAt = snapshot.EndedAt;
        LastSnapshotAt = at;

        var moved = snapshot.Status == Status ? Result.Success() : MoveTo(snapshot.Status, at);
        return moved.IsFailure ? moved.Error : SnapshotApplication.Applied;
    }

    /// <summary>
    /// The provider's notice that a trial ends soon (Stripe: customer.subscription.trial_will_end, ~3 days ahead).
    /// Not a transition: it raises <see cref="SubscriptionTrialEnding"/> while the subscription is trialing with a
    /// known trial end, and is refused otherwise (a notice about a trial that is already over sends nothing).
    /// </summary>
    public Result NoteTrialEnding(DateTimeOffset at)
    {
        if (Status != SubscriptionStatus.Trialing || TrialEnd is not { } trialEnd)
        {
            return SubscriptionErrors.NotTrialing;
        }

        Raise(new SubscriptionTrialEnding(Id, BillingAccountId, PlanId, trialEnd, at));
        return Result.Success();
    }

    /// <summary>The inputs the entitlement policy needs, as a value.</summary>
    public SubscriptionAccess ToAccess() =>
        new(PlanId, Status, CancelAtPeriodEnd, CurrentPeriodStart, CurrentPeriodEnd);

    internal Result StartTrial(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.Trialing, new SubscriptionTrialStarted(Id, BillingAccountId, PlanId, TrialEnd, at));

    internal Result Activate(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.Active, new SubscriptionActivated(Id, BillingAccountId, PlanId, at));

    internal Result MarkPastDue(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.PastDue, new SubscriptionPastDue(Id, BillingAccountId, at));

    internal Result MarkUnpaid(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.Unpaid, new SubscriptionUnpaid(Id, BillingAccountId, at));

    internal Result Pause(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.Paused, new SubscriptionPaused(Id, BillingAccountId, at));

    internal Result Cancel(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.Canceled, new SubscriptionCanceled(Id, BillingAccountId, CanceledAt, EndedAt, at));

    internal Result Expire(DateTimeOffset at) =>
        TransitionTo(SubscriptionStatus.IncompleteExpired, new SubscriptionIncompleteExpired(Id, BillingAccountId, at));

    private Result MoveTo(SubscriptionStatus target, DateTimeOffset at) => target switch
    {
        SubscriptionStatus.Trialing => StartTrial(at),
        SubscriptionStatus.Active => Activate(at),
        SubscriptionStatus.PastDue => MarkPastDue(at),
        SubscriptionStatus.Unpaid => MarkUnpaid(at),
        SubscriptionStatus.Paused => Pause(at),
        SubscriptionStatus.Canceled => Cancel(at),
        SubscriptionStatus.IncompleteExpired => Expire(at),
        _ => SubscriptionErrors.TransitionNotAllowed(Status, target),
    };

    private Result TransitionTo(SubscriptionStatus target, IDomainEvent transitioned)
    {
        if (!SubscriptionTransitions.IsAllowed(Status, target))
        {
            return SubscriptionErrors.TransitionNotAllowed(Status, target);
        }

        Status = target;
        Raise(transitioned);
        return Result.Success();
    }

    private void RaiseContentChanges(SubscriptionSnapshot snapshot, DateTimeOffset at)
    {
        if (!string.Equals(snapshot.PriceId, PriceId, StringComparison.Ordinal))
        {
            Raise(new SubscriptionPlanChanged(Id, BillingAccountId, PlanId, PriceId, snapshot.PlanId, snapshot.PriceId, at));
        }

        if (snapshot.Quantity != Quantity)
        {
            Raise(new SubscriptionQuantityChanged(Id, BillingAccountId, Quantity, snapshot.Quantity, at));
        }

        if (snapshot.CurrentPeriodEnd > CurrentPeriodEnd && snapshot.CurrentPeriodStart >= CurrentPeriodEnd)
        {
            Raise(new SubscriptionRenewed(Id, BillingAccountId, snapshot.CurrentPeriodStart, snapshot.CurrentPeriodEnd, at));
        }
    }

    private SubscriptionSnapshot Current() =>
        new(ProviderSubscriptionId, Status, PriceId, PlanId, Quantity, CurrentPeriodStart, CurrentPeriodEnd, TrialEnd,
            CancelAtPeriodEnd, CanceledAt, EndedAt, LastSnapshotAt ?? DateTimeOffset.MinValue);
}
