using FluentValidation;

namespace Monolith.Application.Billing.Payments.RefundPayment;

internal sealed class RefundPaymentValidator : AbstractValidator<RefundPaymentCommand>
{
    public RefundPaymentValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.PaymentId).NotEmpty();
        RuleFor(c => c.AmountMinor).GreaterThan(0).When(c => c.AmountMinor is not null);
        RuleFor(c => c.Reason).MaximumLength(500);
        RuleFor(c => c.IdempotencyKey).MaximumLength(Common.Idempotency.IdempotencyRecord.KeyMaxLength);
    }
}
