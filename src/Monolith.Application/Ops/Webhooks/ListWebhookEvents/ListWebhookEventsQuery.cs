using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Ops.Webhooks.ListWebhookEvents;

/// <summary>
/// Inbox rows, newest first. <paramref name="EventId"/> matches the provider's event id exactly; <paramref name="Type"/>
/// is a prefix (e.g. <c>invoice.</c>); <paramref name="Account"/> is an organisation id, a billing account id or a
/// provider customer id, matched against what the payload names (events carry the customer and account, not our keys).
/// </summary>
public sealed record ListWebhookEventsQuery(
    string? EventId = null, string? Type = null, string? Account = null, WebhookEventStatus? Status = null, int Page = 1)
    : IQuery<OpsPage<WebhookEventRow>>, IOpsRequest;

public sealed record WebhookEventRow(
    Guid Id, string Provider, string ProviderEventId, string Type, WebhookEventStatus Status, DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt, int Attempts, string? Error);
