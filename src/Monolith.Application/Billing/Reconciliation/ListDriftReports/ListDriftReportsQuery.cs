using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Reconciliation.ListDriftReports;

/// <summary>The newest drift reports first, optionally for one billing account (ops dashboard).</summary>
public sealed record ListDriftReportsQuery(Guid? BillingAccountId = null, int Limit = 100) : IQuery<IReadOnlyList<DriftReportItem>>, IOpsRequest;

public sealed record DriftReportItem(
    Guid Id, DateTimeOffset DetectedAt, string ObjectKind, string Provider, string ProviderObjectId, Guid? BillingAccountId,
    string Before, string After, string Changes);

internal sealed class ListDriftReportsHandler(IAppDbContext db) : IRequestHandler<ListDriftReportsQuery, Result<IReadOnlyList<DriftReportItem>>>
{
    public async Task<Result<IReadOnlyList<DriftReportItem>>> Handle(ListDriftReportsQuery request, CancellationToken cancellationToken)
    {
        var query = db.DriftReports.AsNoTracking();
        if (request.BillingAccountId is { } account)
        {
            query = query.Where(r => r.BillingAccountId == account);
        }

        var items = await query
            .OrderByDescending(r => r.DetectedAt).ThenBy(r => r.Id)
            .Take(Math.Clamp(request.Limit, 1, 1000))
            .Select(r => new DriftReportItem(r.Id, r.DetectedAt, r.ObjectKind, r.Provider, r.ProviderObjectId, r.BillingAccountId, r.Before, r.After, r.Changes))
            .ToListAsync(cancellationToken);
        return items;
    }
}
