using System.Net;
using System.Text.RegularExpressions;

namespace Monolith.Web.Tests.Common;

/// <summary>Posts a Razor Pages form the way a browser does: GET the page, take its antiforgery token, POST.</summary>
internal static partial class HttpForms
{
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, Dictionary<string, string> fields, bool withToken = true)
    {
        var page = await client.GetStringAsync(path);
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var response = await SubmitAsync(client, "/account/login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed with {(int)response.StatusCode}.");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
