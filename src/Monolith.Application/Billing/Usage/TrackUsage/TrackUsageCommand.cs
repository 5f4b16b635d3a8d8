using Monolith.Application.Billing.Entitlements;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Usage;

namespace Monolith.Application.Billing.Usage.TrackUsage;

/// <summary>
/// Records metered usage exactly once per <see cref="IdempotencyKey"/> (unique per account in the database; a replay
/// returns the first result). <see cref="UsageMode.Add"/> adds to the period's total, <see cref="UsageMode.SetTotal"/>
/// replaces it. Going over the limit is recorded and reported in the result, not refused or clamped.
/// </summary>
public sealed record TrackUsageCommand(Guid OrganizationId, string FeatureId, long Quantity, string IdempotencyKey, UsageMode Mode = UsageMode.Add)
    : ICommand<FeatureBalance>, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}
