using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Domain.Billing;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Infrastructure.Billing.PaymentMethods;

/// <summary>The simulator's side of <see cref="IPaymentMethods"/>: the customer's default card, once they entered one on the simulated checkout.</summary>
internal sealed class SimulatorPaymentMethods(SimulatorState state) : IPaymentMethods
{
    public string Provider => BillingProvider.InMemory;

    public Task<Result<IReadOnlyList<PaymentMethodSummary>>> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        if (state.FindCustomer(customerId) is not { } customer)
        {
            return Task.FromResult<Result<IReadOnlyList<PaymentMethodSummary>>>(PaymentsErrors.NotFound);
        }

        IReadOnlyList<PaymentMethodSummary> cards = customer.DefaultCard is { } card
            ? [new PaymentMethodSummary($"pm_sim_{customer.Id}", "card", card.Brand, card.Last4, null, null)]
            : [];
        return Task.FromResult(Result.Success(cards));
    }
}
