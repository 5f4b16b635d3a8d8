using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Monolith.Web.Tests.Common;

/// <summary>The ops account page's refund form, posted the way the browser does (its antiforgery token and its per-render key).</summary>
internal static partial class OpsRefundForm
{
    /// <summary>Renders the account page and returns the refund form's fields for <paramref name="paymentId"/> (null: no form offered).</summary>
    public static async Task<Dictionary<string, string>?> RenderAsync(HttpClient ops, Guid organizationId, Guid paymentId)
    {
        var html = await ops.GetStringAsync($"/ops/accounts/{organizationId}");
        var key = Regex.Match(html, $"name=\"paymentId\" value=\"{paymentId}\" />\\s*<input type=\"hidden\" name=\"idempotencyKey\" value=\"([0-9a-f]{{32}})\"");
        if (!key.Success)
        {
            return null;
        }

        return new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value),
            ["paymentId"] = paymentId.ToString(),
            ["idempotencyKey"] = key.Groups[1].Value,
        };
    }

    /// <summary>Posts <paramref name="form"/> with an amount (null: everything left) and returns the page it redirects to (with the flash message).</summary>
    public static async Task<string> SubmitAsync(HttpClient ops, Guid organizationId, Dictionary<string, string> form, long? amountMinor, string? reason = null)
    {
        var fields = new Dictionary<string, string>(form)
        {
            ["amountMinor"] = amountMinor?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["reason"] = reason ?? string.Empty,
        };
        var response = await ops.PostAsync($"/ops/accounts/{organizationId}?handler=IssueRefund", new FormUrlEncodedContent(fields));
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return await ops.GetStringAsync(response.Headers.Location);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // a client that followed the redirect itself
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
