using Monolith.Domain.Common;

namespace Monolith.Application.Billing.PaymentMethods;

/// <summary>
/// The payment methods the provider holds for a customer (cards on file). A port of its own rather than a member of
/// <see cref="Payments.IPaymentsPort"/>: the provider-neutral payments port covers what billing needs to work, this
/// is a provider feature one screen wants — the pattern for reaching Stripe endpoints the port does not model
/// (docs/stripe.md, "Escape hatch"). Implementations: Stripe (through the configured Stripe.net client) and the simulator.
/// </summary>
public interface IPaymentMethods
{
    /// <summary>The provider whose customer ids this reads ("stripe", "inmemory").</summary>
    string Provider { get; }

    /// <summary>Not found → <c>billing.provider.object_not_found</c>; provider failures → the payments port's error codes.</summary>
    Task<Result<IReadOnlyList<PaymentMethodSummary>>> ListAsync(string customerId, CancellationToken cancellationToken);
}

/// <summary>One payment method, safe to show: never a full card number. Card fields are null for other types.</summary>
public sealed record PaymentMethodSummary(string Id, string Type, string? Brand, string? Last4, int? ExpMonth, int? ExpYear);
