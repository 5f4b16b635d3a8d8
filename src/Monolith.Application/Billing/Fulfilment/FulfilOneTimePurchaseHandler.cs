using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Fulfilment;

/// <summary>
/// A captured ONE-TIME payment is fulfilled once: a <see cref="PurchaseFulfilment"/> row (unique per payment) that
/// raises <see cref="OneTimePurchaseFulfilled"/>. Captures of invoice (subscription) payments are not purchases.
/// </summary>
internal sealed class FulfilOneTimePurchaseHandler(IAppDbContext db, TimeProvider clock) : IOutboxHandler<PaymentCaptured>
{
    public const string HandlerName = "billing.fulfil-one-time-purchase";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(PaymentCaptured e, OutboxContext ctx, CancellationToken ct)
    {
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Id == e.PaymentId, ct);
        if (payment is null)
        {
            // The capture committed with the payment, so a missing payment is a fault worth retrying and parking.
            return PaymentErrors.NotFound;
        }

        if (payment.Kind != PaymentKind.OneTime)
        {
            return Result.Success();
        }

        if (await db.Fulfilments.AnyAsync(f => f.PaymentId == payment.Id, ct))
        {
            return Result.Success();
        }

        var fulfilment = PurchaseFulfilment.Fulfil(Guid.NewGuid(), payment, clock.GetUtcNow());
        if (fulfilment.IsFailure)
        {
            return fulfilment.Error;
        }

        db.Fulfilments.Add(fulfilment.Value);
        return Result.Success();
    }
}
