using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// Verifies <c>Stripe-Signature: t=…,v1=…[,v1=…]</c>: HMAC-SHA256 keyed with the whole secret (UTF-8, <c>whsec_</c>
/// included) over <c>"{t}.{raw body}"</c>, lower-case hex, compared in constant time against every <c>v1</c> entry and
/// every configured secret. Other schemes (<c>v0</c>) are ignored. Like the official library, only events older than
/// the tolerance are refused (a zero tolerance turns the age check off); future timestamps are accepted.
/// </summary>
internal static class StripeSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static bool Verify(ReadOnlySpan<byte> body, string? header, IEnumerable<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        string? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var item in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = item[..eq];
            var value = item[(eq + 1)..];
            if (key == "t")
            {
                timestamp = value;
            }
            else if (key == "v1")
            {
                signatures.Add(Encoding.ASCII.GetBytes(value));
            }
        }

        if (timestamp is null || signatures.Count == 0 ||
            !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
        {
            return false;
        }

        if (tolerance > TimeSpan.Zero && now.ToUnixTimeSeconds() - t > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));

        var matched = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message)));
            foreach (var signature in signatures)
            {
                // No early exit: the time taken does not depend on which entry matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return matched;
    }

    /// <summary>A header for <paramref name="body"/> signed with <paramref name="secret"/> (tests and local tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret, long timestamp)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var hex = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={hex}");
    }
}
