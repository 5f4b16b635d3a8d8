using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Common;

namespace Monolith.Application.Ops.Audit.ListOpsAudit;

/// <summary>The ops audit log, newest first, optionally narrowed to one action or one target id.</summary>
public sealed record ListOpsAuditQuery(string? Action = null, string? TargetId = null, int Page = 1)
    : IQuery<OpsPage<OpsAuditRow>>, IOpsRequest;

public sealed record OpsAuditRow(
    Guid Id, DateTimeOffset At, Guid? ActorUserId, string ActorEmail, string Action, string TargetKind, string TargetId, string? Detail);
