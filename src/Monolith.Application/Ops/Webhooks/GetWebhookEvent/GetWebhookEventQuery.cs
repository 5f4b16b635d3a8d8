using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Webhooks.ListWebhookEvents;

namespace Monolith.Application.Ops.Webhooks.GetWebhookEvent;

/// <summary>One inbox row with its raw payload (as received, after the signature was verified).</summary>
public sealed record GetWebhookEventQuery(Guid WebhookEventId) : IQuery<WebhookEventDetail>, IOpsRequest;

/// <param name="CanReapply">False for final statuses (applied, ignored), which the inbox's transition table never leaves.</param>
public sealed record WebhookEventDetail(WebhookEventRow Event, string Payload, bool CanReapply);
