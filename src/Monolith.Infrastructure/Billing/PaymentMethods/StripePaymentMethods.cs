using Monolith.Application.Billing.PaymentMethods;
using Monolith.Domain.Billing;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Stripe;

namespace Monolith.Infrastructure.Billing.PaymentMethods;

/// <summary>
/// The escape hatch in use: an endpoint the payments port does not model (<c>GET /v1/customers/{id}/payment_methods</c>),
/// called through a Stripe.net service built on the configured <see cref="IStripeClient"/> (the same key, API base,
/// HTTP client, retries and API version as the port) and <see cref="StripeCall"/> (the same error mapping and logging),
/// behind the app's own <see cref="IPaymentMethods"/>. Stripe's objects stop here: the app sees <see cref="PaymentMethodSummary"/>.
/// </summary>
internal sealed class StripePaymentMethods(IStripeClient stripe, StripeCall call) : IPaymentMethods
{
    /// <summary>One page is plenty for a billing screen; Stripe's default is 10.</summary>
    public const int Limit = 20;

    private readonly CustomerPaymentMethodService _service = new(stripe);

    public string Provider => BillingProvider.Stripe;

    public async Task<Result<IReadOnlyList<PaymentMethodSummary>>> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        var listed = await call.RunAsync(
            "list_payment_methods",
            ct => _service.ListAsync(customerId, new CustomerPaymentMethodListOptions { Limit = Limit }, null, ct),
            cancellationToken);
        if (listed.IsFailure)
        {
            return listed.Error;
        }

        return (listed.Value.Data ?? [])
            .Where(m => m.Id is not null)
            .Select(m => new PaymentMethodSummary(
                m.Id, m.Type ?? "unknown", m.Card?.Brand, m.Card?.Last4,
                m.Card is { ExpMonth: > 0 } card ? (int)card.ExpMonth : null, m.Card is { ExpYear: > 0 } c ? (int)c.ExpYear : null))
            .ToList();
    }
}
