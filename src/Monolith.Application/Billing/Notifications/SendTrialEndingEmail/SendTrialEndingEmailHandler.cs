using Monolith.Application.Common.Email;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Notifications.SendTrialEndingEmail;

/// <summary>The provider's trial-will-end notice → remind the owner when the trial ends and where to manage billing.</summary>
internal sealed class SendTrialEndingEmailHandler(PlanCatalog catalog, IBillingContacts contacts, BillingEmails emails, IEmailSender sender)
    : IOutboxHandler<SubscriptionTrialEnding>
{
    public const string HandlerName = "billing.email.trial-ending";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(SubscriptionTrialEnding e, OutboxContext ctx, CancellationToken ct)
    {
        var contact = await contacts.FindAsync(e.BillingAccountId, ct);
        if (contact is null)
        {
            return Result.Success();
        }

        var planName = catalog.FindPlan(e.PlanId) is { IsSuccess: true } plan ? plan.Value.Name : e.PlanId;
        return await sender.SendAsync(emails.TrialEnding(contact, planName, e.TrialEnd, NotificationKeys.For(ctx)), ct);
    }
}
