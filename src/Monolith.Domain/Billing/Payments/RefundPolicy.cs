using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Payments;

/// <summary>
/// Who may refund a payment. Operators always may (within what is refundable); an organisation owner only when
/// self-service refunds are turned on, and only within <see cref="OwnerWindowDays"/> days of the capture.
/// </summary>
public sealed record RefundPolicy(bool OwnerSelfService, int OwnerWindowDays)
{
    public static readonly RefundPolicy OpsOnly = new(OwnerSelfService: false, OwnerWindowDays: 0);

    public Result AllowsOwner(Payment payment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (!OwnerSelfService)
        {
            return PaymentErrors.OwnerRefundsDisabled;
        }

        if (payment.SucceededAt is not { } capturedAt || now > capturedAt.AddDays(OwnerWindowDays))
        {
            return PaymentErrors.OwnerRefundWindowElapsed;
        }

        return Result.Success();
    }
}
