using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Audit.ListOpsAudit;

internal sealed class ListOpsAuditHandler(IAppDbContext db) : IRequestHandler<ListOpsAuditQuery, Result<OpsPage<OpsAuditRow>>>
{
    public async Task<Result<OpsPage<OpsAuditRow>>> Handle(ListOpsAuditQuery request, CancellationToken cancellationToken)
    {
        var query = db.OpsAudit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Action))
        {
            query = query.Where(a => a.Action == request.Action.Trim());
        }

        if (!string.IsNullOrWhiteSpace(request.TargetId))
        {
            query = query.Where(a => a.TargetId == request.TargetId.Trim());
        }

        var size = OpsPage<OpsAuditRow>.DefaultSize;
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(a => a.At).ThenBy(a => a.Id)
            .Skip(OpsPage<OpsAuditRow>.Skip(request.Page, size)).Take(size)
            .Select(a => new OpsAuditRow(a.Id, a.At, a.ActorUserId, a.ActorEmail, a.Action, a.TargetKind, a.TargetId, a.Detail))
            .ToListAsync(cancellationToken);
        return new OpsPage<OpsAuditRow>(rows, Math.Max(request.Page, 1), size, total);
    }
}
