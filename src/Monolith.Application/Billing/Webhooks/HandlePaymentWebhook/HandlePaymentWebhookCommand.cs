using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;

/// <summary>
/// A webhook whose signature the provider's port has already verified (nothing reaches this command unverified),
/// handled inline: records it in the inbox — unique on (provider, event id) — applies its facts and commits, all in
/// one transaction. The endpoint uses it when <c>Webhooks:Processing</c> is <c>Inline</c>; by default it only
/// receives (<see cref="ReceivePaymentWebhook.ReceivePaymentWebhookCommand"/>) and the background applier applies.
/// </summary>
public sealed record HandlePaymentWebhookCommand(string Provider, ParsedWebhook Webhook, string Payload)
    : ICommand<HandlePaymentWebhookResult>, ISystemRequest
{
    public override string ToString() => $"{nameof(HandlePaymentWebhookCommand)} {{ {Provider} {Webhook.EventId} {Webhook.EventType} }}";
}

/// <param name="Duplicate">The event was already in the inbox; nothing was applied again.</param>
public sealed record HandlePaymentWebhookResult(Guid WebhookEventId, WebhookEventStatus Status, bool Duplicate, string Detail);
