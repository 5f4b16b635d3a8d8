using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Subscriptions;

public sealed record SubscriptionCreated(
    Guid SubscriptionId, Guid BillingAccountId, string Provider, string ProviderSubscriptionId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionTrialStarted(Guid SubscriptionId, Guid BillingAccountId, string PlanId, DateTimeOffset? TrialEnd, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record SubscriptionActivated(Guid SubscriptionId, Guid BillingAccountId, string PlanId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionPastDue(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionUnpaid(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionPaused(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionCanceled(
    Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset? CanceledAt, DateTimeOffset? EndedAt, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionIncompleteExpired(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionPlanChanged(
    Guid SubscriptionId, Guid BillingAccountId, string OldPlanId, string OldPriceId, string NewPlanId, string NewPriceId, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record SubscriptionQuantityChanged(Guid SubscriptionId, Guid BillingAccountId, int OldQuantity, int NewQuantity, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record SubscriptionRenewed(
    Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SubscriptionCancelScheduled(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset PeriodEnd, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record SubscriptionCancelUnscheduled(Guid SubscriptionId, Guid BillingAccountId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The trial ends at <paramref name="TrialEnd"/> (the provider's advance notice); no status change.</summary>
public sealed record SubscriptionTrialEnding(Guid SubscriptionId, Guid BillingAccountId, string PlanId, DateTimeOffset TrialEnd, DateTimeOffset OccurredAt)
    : IDomainEvent;

/// <summary>
/// A second live base-plan subscription appeared for an account whose slot <paramref name="KeptSubscriptionId"/>
/// already holds (two checkouts completed at once, or one created at the provider past the app's guard).
/// </summary>
public sealed record DuplicateSubscriptionDetected(
    Guid SubscriptionId, Guid BillingAccountId, string Provider, string ProviderSubscriptionId, string PlanId, Guid KeptSubscriptionId,
    DateTimeOffset OccurredAt) : IDomainEvent;
