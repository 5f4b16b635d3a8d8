using FluentValidation;

namespace Monolith.Application.Ops.Deliveries.ListDeliveries;

internal sealed class ListDeliveriesValidator : AbstractValidator<ListDeliveriesQuery>
{
    public ListDeliveriesValidator()
    {
        RuleFor(q => q.State).Must(s => s is null || DeliveryStates.All.Contains(s))
            .WithMessage($"State must be one of {string.Join(", ", DeliveryStates.All)}.");
        RuleFor(q => q.Handler).MaximumLength(200);
        RuleFor(q => q.Page).GreaterThan(0);
    }
}
