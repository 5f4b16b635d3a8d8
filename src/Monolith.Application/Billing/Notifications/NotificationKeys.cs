using Monolith.Application.Common.Outbox;

namespace Monolith.Application.Billing.Notifications;

internal static class NotificationKeys
{
    /// <summary>The same delivery always produces the same key (message id + handler), so a re-run sends "the same" email.</summary>
    public static string For(OutboxContext ctx) => $"{ctx.MessageId:N}.{ctx.HandlerName}";
}
