using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Fulfilment;

/// <summary>
/// The fact that a captured one-time payment was fulfilled. Append-only and unique per payment (the database
/// enforces it), so a purchase is fulfilled exactly once however often its capture is delivered.
/// </summary>
public sealed class PurchaseFulfilment : AggregateRoot<Guid>
{
    private PurchaseFulfilment()
    {
    }

    public Guid PaymentId { get; private set; }
    public Guid BillingAccountId { get; private set; }
    public Money Amount { get; private set; }
    public DateTimeOffset FulfilledAt { get; private set; }

    /// <summary>Fulfils <paramref name="payment"/>: only a one-time payment that succeeded can be fulfilled.</summary>
    public static Result<PurchaseFulfilment> Fulfil(Guid id, Payment payment, DateTimeOffset at)
    {
        if (payment.Kind != PaymentKind.OneTime)
        {
            return FulfilmentErrors.NotOneTime;
        }

        if (payment.Status != PaymentStatus.Succeeded && payment.CapturedAmount.AmountMinor <= 0)
        {
            return FulfilmentErrors.NotCaptured;
        }

        var fulfilment = new PurchaseFulfilment
        {
            Id = id,
            PaymentId = payment.Id,
            BillingAccountId = payment.BillingAccountId,
            Amount = payment.Amount,
            FulfilledAt = at,
        };
        fulfilment.Raise(new OneTimePurchaseFulfilled(id, payment.Id, payment.BillingAccountId, payment.Amount, at));
        return fulfilment;
    }
}

public sealed record OneTimePurchaseFulfilled(Guid FulfilmentId, Guid PaymentId, Guid BillingAccountId, Money Amount, DateTimeOffset OccurredAt)
    : IDomainEvent;

public static class FulfilmentErrors
{
    public static readonly Error NotOneTime =
        Error.Rule("billing.fulfilment.not_one_time", "Only one-time payments are fulfilled as purchases.");

    public static readonly Error NotCaptured =
        Error.Rule("billing.fulfilment.not_captured", "A payment is fulfilled only after its capture.");
}
