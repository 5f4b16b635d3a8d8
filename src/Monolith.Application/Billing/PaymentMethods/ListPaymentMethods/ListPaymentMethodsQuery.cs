using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.PaymentMethods.ListPaymentMethods;

/// <summary>The payment methods on file at the provider for the organisation's billing account (none before a first checkout). Owners and admins.</summary>
public sealed record ListPaymentMethodsQuery(Guid OrganizationId) : IQuery<IReadOnlyList<PaymentMethodSummary>>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}
