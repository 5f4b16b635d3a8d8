using global::Stripe;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// The <c>Stripe-Signature</c> check of an incoming webhook, done by Stripe.net's <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/>
/// (HMAC-SHA256 over <c>"{t}.{raw body}"</c>, every <c>v1</c> entry compared in constant time). It only verifies —
/// nothing is parsed into objects here — and tries every configured secret, so during a rotation events signed with
/// the old or the new secret are both accepted. Stripe.net refuses timestamps further than the tolerance from now in
/// either direction (stripe-node accepts future ones); a zero tolerance turns the time check off.
/// </summary>
internal static class StripeWebhookSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static bool Verify(string payload, string? header, IEnumerable<string> secrets, DateTimeOffset now, int toleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var tolerance = toleranceSeconds > 0 ? toleranceSeconds : long.MaxValue;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            try
            {
                EventUtility.ValidateSignature(payload, header, secret, tolerance, now.ToUnixTimeSeconds());
                return true;
            }
            catch (StripeException)
            {
                // Not this secret (or not a valid header at all): the next secret may still match.
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                // A t= value that is not a number: the SDK reads it with Convert.ToInt32.
                return false;
            }
        }

        return false;
    }
}
