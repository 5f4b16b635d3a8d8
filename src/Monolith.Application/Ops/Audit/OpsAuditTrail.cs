using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;

namespace Monolith.Application.Ops.Audit;

/// <summary>
/// Adds an <see cref="OpsAuditEntry"/> for the current operator to the unit of work. Ops commands call it after their
/// action succeeded; the transaction behaviour saves it with the action and commits both, or neither.
/// </summary>
internal sealed class OpsAuditTrail(IAppDbContext db, ICurrentUser currentUser, IOpsUsers users, TimeProvider clock)
{
    public async Task RecordAsync(string action, string targetKind, string targetId, string? detail, CancellationToken ct)
    {
        var userId = currentUser.UserId;
        var email = userId is { } id && (await users.EmailsAsync([id], ct)).TryGetValue(id, out var known) ? known : "(unknown)";
        db.OpsAudit.Add(new OpsAuditEntry(Guid.NewGuid(), clock.GetUtcNow(), userId, email, action, targetKind, targetId, detail));
    }
}
