using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Monolith.Application.Billing.Payments.RefundPayment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Payments;

/// <summary>
/// Asks the provider to refund part or all of a payment, for both refund use cases (an owner's self-service refund and
/// an operator's). The amount is checked by the payment itself (<see cref="Payment.PlanRefund"/>); the provider gets a
/// deterministic idempotency key, so a retried request refunds once. The refund is recorded when the provider's event
/// arrives (the same path as a refund made in the provider's dashboard).
/// </summary>
internal sealed class RefundIssuer(IPaymentsPort payments)
{
    public static readonly Error OtherProvider = Error.Rule(
        "billing.refund.provider_inactive", "This payment was taken by a payment provider this server no longer uses; refund it there.");

    public async Task<Result<RefundRequested>> IssueAsync(
        Payment payment, long? amountMinor, string? reason, string? clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var amount = payment.PlanRefund(amountMinor);
        if (amount.IsFailure)
        {
            return amount.Error;
        }

        if (!string.Equals(payment.Provider, payments.Provider, StringComparison.Ordinal))
        {
            return OtherProvider;
        }

        var refund = await payments.RefundPaymentAsync(
            new RefundRequest(payment.ProviderPaymentId, amount.Value.AmountMinor, amount.Value.Currency, reason),
            KeyFor(payment, amount.Value.AmountMinor, clientKey),
            cancellationToken);
        return refund.IsFailure
            ? refund.Error
            : new RefundRequested(payment.Id, refund.Value.ProviderRefundId, refund.Value.AmountMinor, refund.Value.Currency, refund.Value.Status);
    }

    /// <summary>
    /// The provider key: payment, amount and either the client's key (hashed: providers cap key length) or, without one,
    /// how much was refunded so far — a retry before the refund's event arrived reuses the key and refunds nothing twice.
    /// </summary>
    private static string KeyFor(Payment payment, long amountMinor, string? clientKey)
    {
        var discriminator = string.IsNullOrEmpty(clientKey)
            ? "r" + payment.RefundedAmount.AmountMinor.ToString(CultureInfo.InvariantCulture)
            : "k" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(clientKey)))[..32];
        return string.Create(CultureInfo.InvariantCulture, $"refund-{payment.Id:N}-{amountMinor}-{discriminator}");
    }
}
