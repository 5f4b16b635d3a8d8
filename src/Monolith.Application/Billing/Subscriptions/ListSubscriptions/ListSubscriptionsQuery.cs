using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Billing.Subscriptions.ListSubscriptions;

/// <summary>The organisation's subscriptions, newest period first. Any member may read them.</summary>
public sealed record ListSubscriptionsQuery(Guid OrganizationId) : IQuery<IReadOnlyList<SubscriptionSummary>>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}

public sealed record SubscriptionSummary(
    Guid SubscriptionId,
    string Provider,
    string PlanId,
    string PriceId,
    SubscriptionStatus Status,
    int Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset? TrialEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CanceledAt,
    bool IsAddOn = false,
    Guid? DuplicateOf = null)
{
    /// <summary>Holds the account's one base-plan slot (live, not an add-on, not a recorded duplicate).</summary>
    public bool IsLiveBasePlan => !IsAddOn && DuplicateOf is null && !SubscriptionTransitions.IsTerminal(Status);
}
