using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>Headers and HTML read back over HTTP from every page the app serves (billing pages first), plus API, 404 and static answers.</summary>
public sealed partial class SecurityHeadersTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Fact]
    public async Task EveryPageAndEndpoint_CarriesTheSecurityHeaders_AndNoPageHasInlineScript()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");
        // Ops pages are read as the ops user, so their HTML is checked too.
        var ops = host.CreateClient();
        await HttpForms.SignInAsync(ops, "ops@monolith.local", "ops-password-1");
        var paths = new List<string> { "/billing", "/billing/success?session_id=cs_unknown", "/billing/canceled", "/pricing", "/pricing?interval=year", "/features/reports" };
        paths.AddRange(PagePaths());
        paths.AddRange(["/api/billing/subscriptions", "/api/organizations", "/health/live", "/openapi/v1.json", "/css/site.css", "/no-such-page"]);
        var failures = new List<string>();
        var pagesSeen = 0;

        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            var response = await (path.StartsWith("/ops", StringComparison.OrdinalIgnoreCase) ? ops : client).GetAsync(path);
            failures.AddRange(MissingHeaders(response).Select(m => $"GET {path} ({(int)response.StatusCode}): {m}"));
            if (response.Content.Headers.ContentType?.MediaType == "text/html" && response.IsSuccessStatusCode)
            {
                pagesSeen++;
                var html = await response.Content.ReadAsStringAsync();
                failures.AddRange(InlineScript().Matches(html).Select(m => $"GET {path}: inline script {m.Value}"));
                failures.AddRange(InlineHandler().Matches(html).Select(m => $"GET {path}: inline event handler {m.Value}"));
                failures.AddRange(InlineStyle().Matches(html).Select(m => $"GET {path}: inline style {m.Value}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(pagesSeen >= 9, $"only {pagesSeen} pages answered 200");
    }

    [Fact]
    public async Task AnonymousAndErrorAnswers_CarryTheHeadersToo()
    {
        var client = host.CreateClient();
        var answers = new[]
        {
            await client.GetAsync("/billing"), await client.GetAsync("/api/billing/balances"), await client.GetAsync("/account/login"),
            await client.PostAsync("/webhooks/inmemory", new StringContent("{}")),
        };

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.BadRequest], answers.Select(a => a.StatusCode));
        Assert.All(answers, a => Assert.Empty(MissingHeaders(a)));
    }

    [Fact]
    public async Task OutsideDevelopment_HttpIsRedirectedToHttps_HstsIsSent_AndEveryCookieIsSecureHttpOnlyAndSameSite()
    {
        await using var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        await using var factory = new MonolithWebFactory(database, "Production", new Dictionary<string, string?> { ["https_port"] = "443" });
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://monolith.test"), AllowAutoRedirect = false });
        var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://monolith.test"), AllowAutoRedirect = false });

        var plain = await http.GetAsync("/pricing");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://monolith.test/pricing", plain.Headers.Location!.ToString());

        var secure = await https.GetAsync("/pricing");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Contains("max-age=", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Empty(MissingHeaders(secure));

        var cookies = new List<string>();
        var login = await https.GetAsync("/account/login");
        cookies.AddRange(SetCookies(login));
        var registered = await HttpForms.SubmitAsync(https, "/account/register", new()
        {
            ["Input.Email"] = $"prod-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        cookies.AddRange(SetCookies(registered));
        // A failed page action leaves its message in TempData: the TempData cookie must follow the same rules.
        var failed = await HttpForms.SubmitAsync(https, "/billing?handler=Cancel", new() { ["subscriptionId"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        cookies.AddRange(SetCookies(failed));

        Assert.Contains(cookies, c => c.StartsWith("monolith.auth=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("monolith.csrf=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=", StringComparison.Ordinal));
        foreach (var cookie in cookies)
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.True(attributes.Contains("secure"), $"not Secure: {Name(cookie)}");
            Assert.True(attributes.Contains("httponly"), $"not HttpOnly: {Name(cookie)}");
            Assert.True(attributes.Contains("samesite=lax") || attributes.Contains("samesite=strict"), $"no SameSite Lax/Strict: {Name(cookie)}");
        }

        Assert.Contains("samesite=lax", cookies.Single(c => c.StartsWith("monolith.auth=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookies.First(c => c.StartsWith("monolith.csrf=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InDevelopment_NoHstsAndNoRedirect()
    {
        var response = await host.CreateClient().GetAsync("/pricing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static IEnumerable<string> MissingHeaders(HttpResponseMessage response)
    {
        var csp = Header(response, "Content-Security-Policy");
        if (csp is null)
        {
            yield return "no Content-Security-Policy";
        }
        else
        {
            var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToList();
            if (!directives.Contains("script-src 'self'"))
            {
                yield return $"script-src is not exactly 'self': {csp}";
            }

            if (!directives.Contains("frame-ancestors 'none'"))
            {
                yield return $"no frame-ancestors 'none': {csp}";
            }

            if (csp.Contains("unsafe-inline", StringComparison.Ordinal) || csp.Contains("unsafe-eval", StringComparison.Ordinal))
            {
                yield return $"unsafe-* in {csp}";
            }
        }

        if (Header(response, "X-Content-Type-Options") != "nosniff")
        {
            yield return "no X-Content-Type-Options: nosniff";
        }

        if (Header(response, "Referrer-Policy") is not ("same-origin" or "no-referrer" or "strict-origin-when-cross-origin" or "strict-origin"))
        {
            yield return $"weak or missing Referrer-Policy: {Header(response, "Referrer-Policy")}";
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static string Name(string cookie) => cookie[..cookie.IndexOf('=', StringComparison.Ordinal)];

    /// <summary>Page routes without parameters, and those with one filled with an id that does not exist.</summary>
    private IEnumerable<string> PagePaths() =>
        host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + string.Join('/', e.RoutePattern.RawText!.Trim('/').Split('/')
                .Where(s => s != "{handler?}")
                .Select(s => s.StartsWith('{') ? "unknown-id" : s)));

    [GeneratedRegex("<script(?![^>]*\\bsrc\\s*=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[^>]+\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("<[^>]+\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();
}
