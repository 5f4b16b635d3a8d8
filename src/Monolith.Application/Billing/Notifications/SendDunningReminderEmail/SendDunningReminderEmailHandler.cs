using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Email;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Dunning;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications.SendDunningReminderEmail;

/// <summary>
/// The dunning job raised a reminder for a past_due subscription → remind the owner to update the payment method.
/// Checked again at send time: a subscription that recovered (or ended) since the reminder was raised gets no email.
/// </summary>
internal sealed class SendDunningReminderEmailHandler(
    IAppDbContext db, PlanCatalog catalog, IBillingContacts contacts, BillingEmails emails, IEmailSender sender)
    : IOutboxHandler<DunningReminderDue>
{
    public const string HandlerName = "billing.email.dunning-reminder";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(DunningReminderDue e, OutboxContext ctx, CancellationToken ct)
    {
        var status = await db.Subscriptions.AsNoTracking().Where(s => s.Id == e.SubscriptionId)
            .Select(s => (SubscriptionStatus?)s.Status).FirstOrDefaultAsync(ct);
        if (status is null)
        {
            return SubscriptionErrors.NotFound;
        }

        var contact = await contacts.FindAsync(e.BillingAccountId, ct);
        if (status != SubscriptionStatus.PastDue || contact is null)
        {
            return Result.Success();
        }

        var planName = catalog.FindPlan(e.PlanId) is { IsSuccess: true } plan ? plan.Value.Name : e.PlanId;
        return await sender.SendAsync(emails.DunningReminder(contact, planName, e.Number, NotificationKeys.For(ctx)), ct);
    }
}
