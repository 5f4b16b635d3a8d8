using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Ops.Webhooks.ReapplyWebhookEvent;

/// <summary>
/// Runs a stored (received, parked or failed) webhook event through the same applier as a live webhook and records the
/// new outcome on the inbox row. Applied and ignored events are final. Audited.
/// </summary>
public sealed record ReapplyWebhookEventCommand(Guid WebhookEventId) : ICommand<WebhookReapplied>, IOpsRequest;

public sealed record WebhookReapplied(Guid WebhookEventId, WebhookEventStatus Status, string Detail);
