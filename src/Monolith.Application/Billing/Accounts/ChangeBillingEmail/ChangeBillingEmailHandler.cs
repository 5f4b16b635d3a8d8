using MediatR;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Accounts.ChangeBillingEmail;

internal sealed class ChangeBillingEmailHandler(IAppDbContext db, TimeProvider clock)
    : IRequestHandler<ChangeBillingEmailCommand, Result<BillingEmailResult>>
{
    public async Task<Result<BillingEmailResult>> Handle(ChangeBillingEmailCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = await db.GetOrOpenBillingAccountAsync(request.OrganizationId, now, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error;
        }

        var changed = account.Value.ChangeBillingEmail(request.Email, now);
        return changed.IsFailure ? changed.Error : new BillingEmailResult(account.Value.Id, account.Value.BillingEmail!);
    }
}
