using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Checkout;

public static class CheckoutErrors
{
    public static readonly Error PriceNotFound = Error.NotFound("billing.checkout.price_not_found", "There is no such price in the catalogue.");

    public static readonly Error PriceInactive = Error.Rule("billing.checkout.price_inactive", "This price is no longer offered.");

    public static readonly Error PriceNotOffered = Error.Rule(
        "billing.checkout.price_not_offered", "This price is not available with the configured payment provider.");

    public static readonly Error RedirectNotAllowed = Error.Validation(
        "billing.checkout.redirect_not_allowed", "Success and cancel URLs must be on this site or on a configured allowlist.");
}
