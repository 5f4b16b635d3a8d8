using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Billing.Checkout.CreateCheckoutSession;

/// <summary>
/// Opens (or reuses) a hosted checkout for one catalogue price. Owners and admins only. The client names a price id,
/// never an amount or a customer; nothing is granted here — access follows the provider's confirmed facts (webhooks).
/// </summary>
public sealed record CreateCheckoutSessionCommand(
    Guid OrganizationId,
    string PriceId,
    int Quantity,
    string SuccessUrl,
    string CancelUrl,
    string? IdempotencyKey = null) : ICommand<CreateCheckoutSessionResult>, IProviderCallingCommand, IOrganizationRequest, IIdempotentCommand
{
    public OrganizationRole MinimumRole => OrganizationRole.Admin;
}

/// <param name="Reused">An open, unexpired session for the same account and price was returned instead of a new one.</param>
public sealed record CreateCheckoutSessionResult(Guid CheckoutSessionId, string ProviderSessionId, Uri Url, DateTimeOffset ExpiresAt, bool Reused);
