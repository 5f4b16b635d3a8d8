namespace Monolith.Application.Billing.Checkout;

/// <summary>Section <c>Billing:Checkout</c>.</summary>
public sealed class CheckoutOptions
{
    public const string Section = "Billing:Checkout";

    /// <summary>Free-trial days offered on paid recurring prices, at most once per billing account. Opt-in: 0 (default) = no trials.</summary>
    public int TrialDays { get; set; }

    /// <summary>Other origins (e.g. a mobile deep-link host or the SPA's origin) success/cancel URLs may point to.</summary>
    public List<string> RedirectAllowlist { get; } = [];
}
