using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Billing.Checkout.GetCheckoutStatus;

/// <summary>
/// What the success page shows: only what webhooks have written. <see cref="CheckoutStatusView.Confirmed"/> turns true
/// once the provider's confirming facts are applied; the page never grants anything itself.
/// </summary>
public sealed record GetCheckoutStatusQuery(Guid OrganizationId, string ProviderSessionId) : IQuery<CheckoutStatusView>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}

public sealed record CheckoutStatusView(
    string PriceId,
    CheckoutMode Mode,
    CheckoutStatus Status,
    SubscriptionStatus? SubscriptionStatus,
    PaymentStatus? PaymentStatus,
    bool Confirmed);
