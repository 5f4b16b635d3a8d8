using MediatR;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions.ResumeSubscription;

internal sealed class ResumeSubscriptionHandler(IAppDbContext db, IPaymentsPort payments)
    : IRequestHandler<ResumeSubscriptionCommand, Result<SubscriptionChangeRequested>>
{
    public static readonly Error NotScheduled = Error.Rule(
        "billing.subscription.not_scheduled_to_cancel", "This subscription is not scheduled to cancel, so there is nothing to resume.");

    public async Task<Result<SubscriptionChangeRequested>> Handle(ResumeSubscriptionCommand request, CancellationToken cancellationToken)
    {
        var subscription = await db.FindOfOrganizationAsync(request.OrganizationId, request.SubscriptionId, cancellationToken);
        if (subscription.IsFailure)
        {
            return subscription.Error;
        }

        if (subscription.Value.IsTerminal)
        {
            return SubscriptionLookups.Ended;
        }

        if (!subscription.Value.CancelAtPeriodEnd)
        {
            return NotScheduled;
        }

        var resumed = await payments.ResumeSubscriptionAsync(subscription.Value.ProviderSubscriptionId,
            $"resume-{subscription.Value.Id:N}-{request.IdempotencyKey ?? subscription.Value.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken);
        return resumed.IsFailure ? resumed.Error : new SubscriptionChangeRequested(subscription.Value.Id, "resume", subscription.Value.Status);
    }
}
