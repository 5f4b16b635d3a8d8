using MediatR;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Purchases.ListOwnedProducts;

/// <summary>The one-time products (plan ids) the organisation owns. Any member may read them.</summary>
public sealed record ListOwnedProductsQuery(Guid OrganizationId) : IQuery<IReadOnlySet<string>>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}

internal sealed class ListOwnedProductsHandler(IAppDbContext db, PlanCatalog catalog)
    : IRequestHandler<ListOwnedProductsQuery, Result<IReadOnlySet<string>>>
{
    public async Task<Result<IReadOnlySet<string>>> Handle(ListOwnedProductsQuery request, CancellationToken cancellationToken) =>
        await db.BillingAccountIdOfAsync(request.OrganizationId, cancellationToken) is { } accountId
            ? Result.Success(await db.OwnedPlanIdsAsync(accountId, catalog, cancellationToken))
            : Result.Success<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
}
