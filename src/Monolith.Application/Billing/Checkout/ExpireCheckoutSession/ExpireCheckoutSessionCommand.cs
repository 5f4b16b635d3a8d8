using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.Reconciliation;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Checkout.ExpireCheckoutSession;

/// <summary>
/// Closes a local checkout session that is still open after its expiry time. The provider is asked first (through
/// reconciliation), so a checkout that was in fact completed — its webhook lost — is completed, never expired.
/// A session that is no longer open, or not yet past its expiry, is left alone (success, nothing changed).
/// </summary>
public sealed record ExpireCheckoutSessionCommand(Guid CheckoutSessionId) : ICommand<ExpireCheckoutSessionResult>, IProviderCallingCommand, ISystemRequest;

public sealed record ExpireCheckoutSessionResult(CheckoutStatus Status, bool Changed);

internal sealed class ExpireCheckoutSessionHandler(IAppDbContext db, IPaymentsPort payments, BillingReconciler reconciler, TimeProvider clock)
    : IRequestHandler<ExpireCheckoutSessionCommand, Result<ExpireCheckoutSessionResult>>
{
    public static readonly Error NotFound = Error.NotFound("billing.checkout.session_not_found", "Checkout session not found.");

    public async Task<Result<ExpireCheckoutSessionResult>> Handle(ExpireCheckoutSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await db.CheckoutSessions.FirstOrDefaultAsync(s => s.Id == request.CheckoutSessionId, cancellationToken);
        if (session is null)
        {
            return NotFound;
        }

        var now = clock.GetUtcNow();
        if (session.Status != CheckoutStatus.Open || session.ExpiresAt > now)
        {
            return new ExpireCheckoutSessionResult(session.Status, Changed: false);
        }

        // Ask the provider first (a session of a provider that is no longer active cannot be asked: it just expires).
        if (session.Provider == payments.Provider)
        {
            var reconciled = await reconciler.ReconcileAsync(ProviderObjectKind.CheckoutSession, session.ProviderSessionId, cancellationToken);
            if (reconciled.IsFailure && reconciled.Error != PaymentsErrors.NotFound)
            {
                return reconciled.Error; // provider unreachable: try again on the next run rather than guess
            }
        }

        if (session.Status != CheckoutStatus.Open)
        {
            return new ExpireCheckoutSessionResult(session.Status, Changed: true);
        }

        var expired = session.Expire(now);
        return expired.IsFailure ? expired.Error : new ExpireCheckoutSessionResult(session.Status, Changed: true);
    }
}
