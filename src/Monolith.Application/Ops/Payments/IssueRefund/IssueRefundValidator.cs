using FluentValidation;
using Monolith.Application.Common.Idempotency;

namespace Monolith.Application.Ops.Payments.IssueRefund;

internal sealed class IssueRefundValidator : AbstractValidator<IssueRefundCommand>
{
    public IssueRefundValidator()
    {
        RuleFor(c => c.PaymentId).NotEmpty();
        RuleFor(c => c.AmountMinor).GreaterThan(0).When(c => c.AmountMinor is not null);
        RuleFor(c => c.Reason).MaximumLength(500);
        RuleFor(c => c.IdempotencyKey).MaximumLength(IdempotencyRecord.KeyMaxLength);
    }
}
