using MediatR;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Subscriptions.CancelSubscription;

internal sealed class CancelSubscriptionHandler(IAppDbContext db, IPaymentsPort payments)
    : IRequestHandler<CancelSubscriptionCommand, Result<SubscriptionChangeRequested>>
{
    public async Task<Result<SubscriptionChangeRequested>> Handle(CancelSubscriptionCommand request, CancellationToken cancellationToken)
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

        var canceled = await payments.CancelSubscriptionAsync(subscription.Value.ProviderSubscriptionId, request.AtPeriodEnd,
            $"cancel-{subscription.Value.Id:N}-{(request.AtPeriodEnd ? "end" : "now")}-{request.IdempotencyKey ?? subscription.Value.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken);
        return canceled.IsFailure
            ? canceled.Error
            : new SubscriptionChangeRequested(subscription.Value.Id, request.AtPeriodEnd ? "cancel_at_period_end" : "cancel_now", subscription.Value.Status);
    }
}
