using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Ops.BillingAccounts.FindBillingAccounts;

/// <summary>
/// Organisations matching <paramref name="Term"/>: an organisation or billing account id (exact), a provider customer
/// id (exact), part of the organisation's name, or part of a member's e-mail. At most 50, by name.
/// </summary>
public sealed record FindBillingAccountsQuery(string Term) : IQuery<IReadOnlyList<OrganizationMatch>>, IOpsRequest;

public sealed record OrganizationMatch(Guid OrganizationId, string Name, bool IsPersonal, Guid? BillingAccountId, int Subscriptions);
