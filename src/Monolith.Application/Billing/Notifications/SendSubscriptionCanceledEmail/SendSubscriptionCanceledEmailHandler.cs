using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Email;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications.SendSubscriptionCanceledEmail;

/// <summary>A subscription reached Canceled → tell the owner which plan ended, with a link back to the plans.</summary>
internal sealed class SendSubscriptionCanceledEmailHandler(
    IAppDbContext db, PlanCatalog catalog, IBillingContacts contacts, BillingEmails emails, IEmailSender sender)
    : IOutboxHandler<SubscriptionCanceled>
{
    public const string HandlerName = "billing.email.subscription-canceled";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(SubscriptionCanceled e, OutboxContext ctx, CancellationToken ct)
    {
        var planId = await db.Subscriptions.AsNoTracking().Where(s => s.Id == e.SubscriptionId).Select(s => s.PlanId).FirstOrDefaultAsync(ct);
        if (planId is null)
        {
            return SubscriptionErrors.NotFound;
        }

        var contact = await contacts.FindAsync(e.BillingAccountId, ct);
        if (contact is null)
        {
            return Result.Success();
        }

        var planName = catalog.FindPlan(planId) is { IsSuccess: true } plan ? plan.Value.Name : planId;
        return await sender.SendAsync(emails.SubscriptionCanceled(contact, planName, e.EndedAt ?? e.CanceledAt, NotificationKeys.For(ctx)), ct);
    }
}
