using MediatR;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks.ReceivePaymentWebhook;

/// <summary>
/// The default webhook path: a verified webhook is made durable in the inbox — one INSERT … ON CONFLICT DO NOTHING,
/// committed on its own — and the provider is answered; the background applier
/// (<see cref="ApplyReceivedWebhooks.ApplyReceivedWebhooksCommand"/>) applies it right behind. An event type nothing
/// handles is stored as ignored at once. The answer has the same shape as the inline path's.
/// </summary>
public sealed record ReceivePaymentWebhookCommand(string Provider, ParsedWebhook Webhook, string Payload)
    : ICommand<HandlePaymentWebhookResult>, ISystemRequest, ISingleStatementCommand
{
    public const string ReceivedDetail = "Received; it is applied in the background.";

    public override string ToString() => $"{nameof(ReceivePaymentWebhookCommand)} {{ {Provider} {Webhook.EventId} {Webhook.EventType} }}";
}

internal sealed class ReceivePaymentWebhookHandler(IWebhookInbox inbox, TimeProvider clock)
    : IRequestHandler<ReceivePaymentWebhookCommand, Result<HandlePaymentWebhookResult>>
{
    public async Task<Result<HandlePaymentWebhookResult>> Handle(ReceivePaymentWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = request.Webhook;
        var now = clock.GetUtcNow();
        var received = WebhookEvent.Receive(Guid.NewGuid(), request.Provider, webhook.EventId, webhook.EventType, request.Payload, now);
        if (received.IsFailure)
        {
            return received.Error;
        }

        var detail = ReceivePaymentWebhookCommand.ReceivedDetail;
        if (webhook.Events is { Count: 0 })
        {
            // Nothing would be applied: record the verdict now instead of waking the applier for it.
            detail = $"Event type {webhook.EventType} is not handled.";
            var ignored = received.Value.MarkIgnored(detail, now);
            if (ignored.IsFailure)
            {
                return ignored.Error;
            }
        }

        var receipt = await inbox.ReceiveAsync(received.Value, cancellationToken);
        return new HandlePaymentWebhookResult(receipt.WebhookEventId, receipt.Status, receipt.Duplicate, receipt.Duplicate ? "Already received." : detail);
    }
}
