using Monolith.Domain.Billing.Payments;

namespace Monolith.Application.Billing.Payments;

/// <summary>Section <c>Billing:Refunds</c>: who may refund. By default only operators (the ops account page) refund.</summary>
public sealed class RefundOptions
{
    public const string Section = "Billing:Refunds";

    /// <summary>Organisation owners may refund their own payments (<c>POST /api/billing/payments/{id}/refunds</c>). Default false.</summary>
    public bool OwnerSelfService { get; set; }

    /// <summary>How many days after the capture an owner may still refund it themselves (only with <see cref="OwnerSelfService"/>). Default 14.</summary>
    public int OwnerWindowDays { get; set; } = 14;

    public RefundPolicy Policy => new(OwnerSelfService, OwnerWindowDays);
}
