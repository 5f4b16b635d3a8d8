using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Checkout;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Portal.CreatePortalSession;

internal sealed class CreatePortalSessionHandler(IAppDbContext db, IPaymentsPort payments, RedirectPolicy redirects)
    : IRequestHandler<CreatePortalSessionCommand, Result<PortalSessionCreated>>
{
    public static readonly Error NoCustomer = Error.NotFound(
        "billing.portal.no_customer", "This organisation has no billing profile with the payment provider yet. Subscribe first.");

    public async Task<Result<PortalSessionCreated>> Handle(CreatePortalSessionCommand request, CancellationToken cancellationToken)
    {
        if (!redirects.IsAllowed(request.ReturnUrl))
        {
            return CheckoutErrors.RedirectNotAllowed;
        }

        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == request.OrganizationId, cancellationToken);
        if (account?.CustomerIdFor(payments.Provider) is not { } customerId)
        {
            return NoCustomer;
        }

        var portal = await payments.CreatePortalSessionAsync(customerId, new Uri(request.ReturnUrl), cancellationToken);
        return portal.IsFailure ? portal.Error : new PortalSessionCreated(portal.Value);
    }
}
