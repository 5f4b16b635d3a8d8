using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Reconciliation.ReconcileAccount;

/// <summary>
/// "Reconcile now" for one organisation (ops dashboard): every non-terminal subscription and payment and every open
/// checkout of its billing account, whatever its age, in one transaction. An object the provider no longer knows is
/// skipped (it is listed in <see cref="ReconcileResult.Checked"/> but writes no report). Audited (<c>account.reconcile</c>)
/// in the same transaction as the changes it applied.
/// </summary>
public sealed record ReconcileAccountCommand(Guid OrganizationId) : ICommand<ReconcileResult>, IProviderCallingCommand, IOpsRequest;

internal sealed class ReconcileAccountHandler(IAppDbContext db, IPaymentsPort payments, BillingReconciler reconciler, OpsAuditTrail audit, TimeProvider clock)
    : IRequestHandler<ReconcileAccountCommand, Result<ReconcileResult>>
{
    public static readonly Error AccountNotFound =
        Error.NotFound("billing.reconciliation.account_not_found", "This organisation has no billing account.");

    public async Task<Result<ReconcileResult>> Handle(ReconcileAccountCommand request, CancellationToken cancellationToken)
    {
        var accountId = await db.BillingAccounts.AsNoTracking()
            .Where(a => a.OrganizationId == request.OrganizationId)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (accountId is null)
        {
            return AccountNotFound;
        }

        var due = await ReconciliationCandidates.SelectAsync(db, payments.Provider, clock.GetUtcNow(), accountId, 1000, cancellationToken);
        var reports = new List<Guid>();
        foreach (var reference in due)
        {
            var reconciled = await reconciler.ReconcileAsync(reference.Kind, reference.ProviderId, cancellationToken);
            if (reconciled.IsFailure && reconciled.Error != PaymentsErrors.NotFound)
            {
                return reconciled.Error;
            }

            if (reconciled.IsSuccess)
            {
                reports.AddRange(reconciled.Value);
            }
        }

        await audit.RecordAsync(
            OpsActions.AccountReconcile, "organization", request.OrganizationId.ToString(),
            $"checked {due.Count}, drift reports {reports.Count}", cancellationToken);
        return new ReconcileResult(due.Count, reports);
    }
}
