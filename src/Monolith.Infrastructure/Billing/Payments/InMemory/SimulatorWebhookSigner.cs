using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>
/// <c>Simulator-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{rawBody}"&gt;</c>, Stripe's scheme. The secret is
/// never logged or shown.
/// </summary>
public sealed class SimulatorWebhookSigner
{
    public const string HeaderName = "Simulator-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private readonly byte[] _key;

    public SimulatorWebhookSigner(string? secret)
    {
        _key = string.IsNullOrWhiteSpace(secret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(secret.Trim());
    }

    public string Sign(ReadOnlySpan<byte> body, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={t},v1={Convert.ToHexStringLower(Compute(t, body))}");
    }

    public bool Verify(ReadOnlySpan<byte> body, string? header, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                candidates.Add(Convert.FromHexString(value));
            }
        }

        if (timestamp is not { } ts || candidates.Count == 0 || ts < 0 || ts > 253_402_300_799)
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > Tolerance)
        {
            return false;
        }

        var expected = Compute(ts, body);
        var match = false;
        foreach (var candidate in candidates)
        {
            match |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        return match;
    }

    private byte[] Compute(long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
