using MediatR;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Reconciliation.ReconcileObject;

/// <summary>
/// Reconciles one provider object (the sweep job sends one per due id, each in its own transaction, so one provider
/// error or conflict never rolls back the rest). Running it again when nothing changed at the provider writes nothing.
/// </summary>
public sealed record ReconcileObjectCommand(ProviderObjectKind Kind, string ProviderId) : ICommand<ReconcileResult>, IProviderCallingCommand, ISystemRequest;

internal sealed class ReconcileObjectHandler(BillingReconciler reconciler) : IRequestHandler<ReconcileObjectCommand, Result<ReconcileResult>>
{
    public async Task<Result<ReconcileResult>> Handle(ReconcileObjectCommand request, CancellationToken cancellationToken)
    {
        var reconciled = await reconciler.ReconcileAsync(request.Kind, request.ProviderId, cancellationToken);
        return reconciled.IsFailure ? reconciled.Error : new ReconcileResult(1, reconciled.Value);
    }
}
