using Monolith.Application.Common.Email;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications.SendReceiptEmail;

/// <summary>A captured payment (one-time or invoice) → a receipt to the organisation's owner.</summary>
internal sealed class SendReceiptEmailHandler(IBillingContacts contacts, BillingEmails emails, IEmailSender sender)
    : IOutboxHandler<PaymentCaptured>
{
    public const string HandlerName = "billing.email.receipt";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(PaymentCaptured e, OutboxContext ctx, CancellationToken ct)
    {
        var contact = await contacts.FindAsync(e.BillingAccountId, ct);
        if (contact is null)
        {
            return Result.Success();
        }

        return await sender.SendAsync(emails.Receipt(contact, e.Captured, e.OccurredAt, e.ProviderChargeId, NotificationKeys.For(ctx)), ct);
    }
}
