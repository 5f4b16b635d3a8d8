using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Email;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications.SendPaymentFailedEmail;

/// <summary>
/// Dunning: an invoice (subscription) payment attempt failed → ask the owner to update the payment method (link to
/// /billing, which opens the provider's portal). One-time payments fail in front of the buyer and send nothing.
/// </summary>
internal sealed class SendPaymentFailedEmailHandler(IAppDbContext db, IBillingContacts contacts, BillingEmails emails, IEmailSender sender)
    : IOutboxHandler<InvoicePaymentAttemptFailed>
{
    public const string HandlerName = "billing.email.payment-failed";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(InvoicePaymentAttemptFailed e, OutboxContext ctx, CancellationToken ct)
    {
        var amountDue = await db.Invoices.AsNoTracking().Where(i => i.Id == e.InvoiceId).Select(i => (Money?)i.AmountDue).FirstOrDefaultAsync(ct);
        if (amountDue is null)
        {
            // The attempt committed with the invoice, so a missing invoice is a fault worth retrying and parking.
            return Error.NotFound("billing.invoice.not_found", "Invoice not found.");
        }

        var contact = await contacts.FindAsync(e.BillingAccountId, ct);
        if (contact is null)
        {
            return Result.Success();
        }

        return await sender.SendAsync(emails.PaymentFailed(contact, amountDue.Value, e.AttemptCount, NotificationKeys.For(ctx)), ct);
    }
}
