namespace Monolith.Application.Ops.Audit;

/// <summary>
/// One operator action (who, what, on what, when), written in the same transaction as the action itself, so an
/// action that rolled back leaves no entry and a committed one always has one. Append-only.
/// </summary>
public sealed class OpsAuditEntry
{
    public const int EmailMaxLength = 256;
    public const int ActionMaxLength = 100;
    public const int TargetKindMaxLength = 50;
    public const int TargetIdMaxLength = 200;
    public const int DetailMaxLength = 2000;

    private OpsAuditEntry()
    {
        ActorEmail = Action = TargetKind = TargetId = string.Empty;
    }

    public OpsAuditEntry(
        Guid id, DateTimeOffset at, Guid? actorUserId, string actorEmail, string action, string targetKind, string targetId, string? detail)
    {
        Id = id;
        At = at;
        ActorUserId = actorUserId;
        ActorEmail = Clip(actorEmail, EmailMaxLength);
        Action = Clip(action, ActionMaxLength);
        TargetKind = Clip(targetKind, TargetKindMaxLength);
        TargetId = Clip(targetId, TargetIdMaxLength);
        Detail = detail is null ? null : Clip(detail, DetailMaxLength);
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? ActorUserId { get; private set; }

    /// <summary>The actor's e-mail at the time (kept even if the user is later renamed or deleted).</summary>
    public string ActorEmail { get; private set; }

    /// <summary>A stable action name, e.g. <c>delivery.requeue</c> (see <see cref="OpsActions"/>).</summary>
    public string Action { get; private set; }

    public string TargetKind { get; private set; }
    public string TargetId { get; private set; }
    public string? Detail { get; private set; }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>The audited action names (stable: the audit log is filtered and read by them).</summary>
public static class OpsActions
{
    public const string DeliveryRetryNow = "delivery.retry_now";
    public const string DeliveryRequeue = "delivery.requeue";
    public const string DeliveryDelete = "delivery.delete";
    public const string WebhookReapply = "webhook.reapply";
    public const string AccountReconcile = "account.reconcile";
    public const string PaymentRefund = "payment.refund";

    /// <summary>An action on the Hangfire dashboard, e.g. <c>hangfire.recurring.trigger</c>, <c>hangfire.jobs.failed.requeue</c>.</summary>
    public static string Dashboard(string action) => $"hangfire.{action}";
}
