using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Stripe;

namespace Monolith.TestSupport.Stripe;

/// <summary>
/// Signs a webhook body the way Stripe does, with Stripe.net's own <see cref="EventUtility.ComputeSignature"/>:
/// <c>Stripe-Signature: t={unix seconds},v1={hex(HMAC-SHA256(secret, "{t}.{raw body}"))}</c>, the key being the whole
/// secret (<c>whsec_…</c> included) as UTF-8; the signature vectors check it against stripe-node.
/// </summary>
public static class StripeWebhookSigner
{
    public const string HeaderName = "Stripe-Signature";

    public static string Signature(ReadOnlySpan<byte> body, string secret, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return EventUtility.ComputeSignature(secret, timestamp.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(body));
    }

    /// <summary>The <c>Stripe-Signature</c> header value: one <c>v1</c> per secret (Stripe signs with every active secret).</summary>
    public static string Header(ReadOnlySpan<byte> body, DateTimeOffset signedAt, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var t = signedAt.ToUnixTimeSeconds();
        var header = new StringBuilder("t=").Append(t.ToString(CultureInfo.InvariantCulture));
        foreach (var secret in secrets)
        {
            header.Append(",v1=").Append(Signature(body, secret, t));
        }

        return header.ToString();
    }

    /// <summary>POSTs a correctly signed event to the app's Stripe webhook endpoint, signed now.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string secret, string path = "/webhooks/stripe") =>
        PostWithHeaderAsync(client, body, Header(body, DateTimeOffset.UtcNow, secret), path);

    /// <summary>POSTs <paramref name="body"/> with the given <c>Stripe-Signature</c> header (null: no header at all).</summary>
    public static async Task<HttpResponseMessage> PostWithHeaderAsync(HttpClient client, byte[] body, string? signatureHeader, string path = "/webhooks/stripe")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (signatureHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderName, signatureHeader);
        }

        return await client.SendAsync(request).ConfigureAwait(false);
    }
}
