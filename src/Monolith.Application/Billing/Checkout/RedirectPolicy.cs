using Microsoft.Extensions.Options;
using Monolith.Application.Common.Interfaces;

namespace Monolith.Application.Billing.Checkout;

/// <summary>Where the provider may send the customer back to: the app's own origin or a configured allowlist. Nothing else.</summary>
internal sealed class RedirectPolicy(IAppOrigin origin, IOptions<CheckoutOptions> options)
{
    public bool IsAllowed(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target))
        {
            return false;
        }

        var targetOrigin = target.GetLeftPart(UriPartial.Authority);
        return SameOrigin(targetOrigin, origin.Current.GetLeftPart(UriPartial.Authority))
               || options.Value.RedirectAllowlist.Any(allowed =>
                   Uri.TryCreate(allowed, UriKind.Absolute, out var a) && SameOrigin(targetOrigin, a.GetLeftPart(UriPartial.Authority)));
    }

    private static bool SameOrigin(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
