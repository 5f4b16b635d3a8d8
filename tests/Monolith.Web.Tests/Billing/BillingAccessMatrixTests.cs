using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Infrastructure.Persistence;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// Who may call what, for every route the app itself reports (JSON APIs, pages, webhooks), so a route added tomorrow is
/// in the matrix without anyone listing it: anonymous callers against an explicit allow-list for every route; strangers
/// and plain members against every JSON route under /api/billing and /api/organizations and the billing pages.
/// User A owns an organisation, user B is a stranger to it, user M is a plain member of it.
/// </summary>
public sealed class BillingAccessMatrixTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    private static readonly string[] Prefixes = ["/api/billing", "/api/organizations"];

    /// <summary>Request bodies that pass validation, so the access rule — not the validator — decides the answer.</summary>
    private static readonly Dictionary<string, object> Bodies = new(StringComparer.Ordinal)
    {
        ["POST /api/billing/checkout"] = new { priceId = "pro-monthly" },
        ["POST /api/billing/subscriptions/{subscriptionId:guid}/cancel"] = new { atPeriodEnd = true },
        ["POST /api/billing/subscriptions/{subscriptionId:guid}/change"] = new { priceId = "team-monthly", quantity = 3 },
        ["POST /api/billing/usage"] = new { featureId = "api-calls", quantity = 1 },
        ["PUT /api/billing/email"] = new { email = "taken-over@example.test" },
        ["POST /api/organizations/"] = new { name = "Someone else's" },
        ["PUT /api/organizations/{organizationId:guid}/name"] = new { name = "Taken over", expectedVersion = 0 },
    };

    /// <summary>Query parameters a route needs to pass validation.</summary>
    private static readonly Dictionary<string, string> Queries = new(StringComparer.Ordinal)
    {
        ["GET /api/billing/entitlements"] = "priceId=pro-monthly",
    };

    /// <summary>Routes that are not about one organisation: the caller's own list and creating a new organisation.</summary>
    private static readonly HashSet<string> NotOrganizationScoped = new(StringComparer.Ordinal)
    {
        "GET /api/organizations/",
        "POST /api/organizations/",
    };

    /// <summary>Mutations a plain member may perform (their use case's minimum role is Member).</summary>
    private static readonly HashSet<string> OpenToMembers = new(StringComparer.Ordinal)
    {
        "POST /api/billing/usage",
    };

    [Fact]
    public async Task AnyOrganizationRoute_AsAStrangerNamingAnotherOrganization_Is404WithoutItsData()
    {
        var a = await OwnerWithNamedOrganizationAsync();
        var stranger = await RegisterAsync();
        var failures = new List<string>();

        foreach (var route in Routes().Where(r => !NotOrganizationScoped.Contains(r.Key)))
        {
            var response = await stranger.Client.SendAsync(route.Request(a.OrganizationId));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
            {
                failures.Add($"{route}: {(int)response.StatusCode} {body}");
            }
            else if (body.Contains(a.Name, StringComparison.Ordinal) || body.Contains(a.Email, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{route}: the error body reveals A's data: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var list = await stranger.Client.GetStringAsync("/api/organizations");
        Assert.DoesNotContain(a.OrganizationId.ToString(), list, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(a.Name, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyMutation_AsAPlainMember_Is403RoleRequiredUnlessOpenToMembers()
    {
        var a = await OwnerWithNamedOrganizationAsync();
        var member = await RegisterAsync();
        await AddMemberAsync(a.OrganizationId, member.OrganizationId);
        var failures = new List<string>();
        var mutations = Routes().Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !NotOrganizationScoped.Contains(r.Key)).ToList();

        foreach (var route in mutations)
        {
            var response = await member.Client.SendAsync(route.Request(a.OrganizationId));
            var code = await ProblemCodeAsync(response);
            var expected = OpenToMembers.Contains(route.Key) ? "2xx" : "403 auth.role_required";
            var actual = response.IsSuccessStatusCode ? "2xx" : $"{(int)response.StatusCode} {code}";
            if (actual != expected)
            {
                failures.Add($"{route}: expected {expected}, got {actual}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Contains(mutations, r => r.Key == "POST /api/billing/payments/{paymentId:guid}/refunds");
        var organization = await member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{a.OrganizationId}");
        Assert.Equal(a.Name, organization.GetProperty("name").GetString());
    }

    /// <summary>
    /// Every route anyone may call without signing in, and why. Any other route — JSON, page or webhook, today's or
    /// tomorrow's — must refuse an anonymous caller; a route that opens itself to anonymous callers fails
    /// <see cref="EveryRoute_OpenToAnonymousCallers_IsExactlyTheAllowList"/> until it is listed here.
    /// </summary>
    private static readonly Dictionary<string, string> AnonymousAllowList = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /health/live"] = "liveness probe",
        ["GET /health/ready"] = "readiness probe",
        ["GET /openapi/{documentName}.json"] = "the API description holds no data",
        ["POST /webhooks/{provider}"] = "providers cannot sign in: the signature is the credential",
        ["GET /favicon.ico"] = "a redirect to the static /favicon.svg",
        ["PAGE /"] = "home: the sign-up pitch, or the caller's organisations when signed in",
        ["PAGE /Index"] = "the same home page under its file name",
        ["PAGE /pricing"] = "public prices; its checkout POST challenges an anonymous caller",
        ["PAGE /billing/canceled"] = "static 'nothing was charged' text",
        ["PAGE /error"] = "the generic error page",
        ["PAGE /account/login"] = "signing in",
        ["PAGE /account/register"] = "signing up",
        ["PAGE /account/logout"] = "signing out (POST with an antiforgery token)",
        ["PAGE /account/access-denied"] = "the 403 page",
        ["PAGE /_simulator/checkout/{sessionId}"] = "the simulator's hosted checkout (the provider's page; 404 unless the simulator is active)",
        ["PAGE /_simulator/portal/{portalSessionId}"] = "the simulator's billing portal (the provider's page)",
        ["PAGE /_simulator/clock"] = "the simulator's test clock (development tool; 404 unless the simulator is active)",
        ["PAGE /_dev/mailbox/{id?}"] = "the development mailbox: 404 outside Development or with the SMTP sender, else the handler asks for sign-in (own mail; ops: all); docs/email.md",
    };

    [Fact]
    public void EveryRoute_OpenToAnonymousCallers_IsExactlyTheAllowList()
    {
        var open = AllRoutes().Where(r => r.Anonymous).Select(r => r.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unlisted = open.Where(k => !AnonymousAllowList.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var stale = AnonymousAllowList.Keys.Where(k => !open.Contains(k)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, "Open to anonymous callers but not on the allow-list: " + string.Join(", ", unlisted));
        Assert.True(stale.Count == 0, "On the allow-list but not open (or gone): " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryRouteNotOnTheAllowList_Anonymous_Is401ProblemForMachinesAndSignInRedirectForPages()
    {
        var client = host.CreateClient();
        var failures = new List<string>();
        var protectedRoutes = AllRoutes().Where(r => !AnonymousAllowList.ContainsKey(r.Key)).ToList();
        Assert.Contains(protectedRoutes, r => r.Key == "PAGE /billing");
        Assert.Contains(protectedRoutes, r => r.Key == "POST /api/billing/checkout");

        foreach (var route in protectedRoutes)
        {
            foreach (var request in route.Requests())
            {
                var description = $"{request.Method} {request.RequestUri}";
                var response = await client.SendAsync(request);
                if (route.IsPage)
                {
                    var location = response.Headers.Location;
                    var target = location is null ? "" : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;
                    if (response.StatusCode != HttpStatusCode.Redirect || !target.StartsWith("/account/login", StringComparison.OrdinalIgnoreCase))
                    {
                        failures.Add($"{description}: {(int)response.StatusCode} {response.Headers.Location}");
                    }
                }
                else
                {
                    var code = await ProblemCodeAsync(response);
                    if (response.StatusCode != HttpStatusCode.Unauthorized || code != "auth.sign_in_required")
                    {
                        failures.Add($"{description}: {(int)response.StatusCode} code={code ?? "<none>"}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task BillingPages_AsAStrangerHoldingAnotherOrganizationsIds_ShowAndChangeNothingOfIt()
    {
        var a = await OwnerWithNamedOrganizationAsync();
        var checkout = await a.Client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var created = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = created.GetProperty("providerSessionId").GetString()!;
        var stranger = await RegisterAsync();

        var success = await stranger.Client.GetAsync($"/billing/success?session_id={Uri.EscapeDataString(sessionId)}");
        var html = await success.Content.ReadAsStringAsync();
        Assert.Contains("We could not find that checkout", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"confirming\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"confirmed\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Email, html, StringComparison.OrdinalIgnoreCase);

        var handlers = typeof(Monolith.Web.Pages.Billing.BillingModel).GetMethods()
            .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
            .Select(m => m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal))
            .Where(h => h != "Portal") // opens the stranger's own portal: about their organisation only
            .ToList();
        Assert.Contains("Cancel", handlers);
        var aSession = created.GetProperty("checkoutSessionId").GetString()!;
        var before = await BillingCountsAsync();
        foreach (var handler in handlers)
        {
            var response = await HttpForms.SubmitAsync(stranger.Client, $"/billing?handler={handler}", new()
            {
                ["subscriptionId"] = aSession, ["priceId"] = "team-monthly", ["quantity"] = "3",
            });
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{handler}: {(int)response.StatusCode}");
            var page = await stranger.Client.GetStringAsync("/billing");
            Assert.DoesNotContain(a.Name, page, StringComparison.Ordinal);
        }

        var delta = Monolith.Web.Tests.Security.TableCounts.Delta(before, await BillingCountsAsync());
        Assert.True(delta.Count == 0, $"a stranger's posts wrote {Monolith.Web.Tests.Security.TableCounts.Describe(delta)}");
    }

    [Fact]
    public void Routes_FromTheEndpointDataSource_IncludeEveryKnownBillingAndOrganizationRoute()
    {
        var keys = Routes().Select(r => r.Key).ToList();

        Assert.Contains("POST /api/billing/checkout", keys);
        Assert.Contains("GET /api/billing/entitlements/{featureId}", keys);
        Assert.Contains("PUT /api/organizations/{organizationId:guid}/name", keys);
        Assert.True(keys.Count >= 14, string.Join(", ", keys));
    }

    [Theory]
    [InlineData("/billing")]
    [InlineData("/billing/success?session_id=x")]
    [InlineData("/features/reports")]
    public async Task Page_Anonymous_RedirectsToLogin(string path)
    {
        var response = await host.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
    }

    private List<ApiRoute> Routes()
    {
        var source = host.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && Prefixes.Any(p => ("/" + raw.TrimStart('/')).StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new ApiRoute(m, e.RoutePattern)))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every route the app serves (minimal APIs, health, OpenAPI, webhooks, Razor pages), with whether anonymous callers may use it.</summary>
    private List<AnyRoute> AllRoutes()
    {
        var source = host.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is not null)
            .SelectMany(e =>
            {
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null || !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
                if (e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
                {
                    return [new AnyRoute("PAGE", e.RoutePattern, anonymous)];
                }

                return (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new AnyRoute(m, e.RoutePattern, anonymous));
            })
            .DistinctBy(r => r.Key, StringComparer.OrdinalIgnoreCase)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<Dictionary<string, long>> BillingCountsAsync() =>
        (await Monolith.Web.Tests.Security.TableCounts.ReadAsync(host.Factory.Services))
            .Where(c => c.Key.StartsWith("billing_", StringComparison.Ordinal) || c.Key == "idempotency_records")
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    private async Task<Caller> OwnerWithNamedOrganizationAsync()
    {
        var owner = await RegisterAsync();
        var name = $"Alpha {Guid.NewGuid():N}";
        var current = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{owner.OrganizationId}");
        var renamed = await owner.Client.PutAsJsonAsync($"/api/organizations/{owner.OrganizationId}/name",
            new { name, expectedVersion = current.GetProperty("version").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        return owner with { Name = name };
    }

    private async Task<Caller> RegisterAsync()
    {
        var client = host.CreateClient();
        var email = $"matrix-{Guid.NewGuid():N}@example.test";
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var organizations = await client.GetFromJsonAsync<JsonElement>("/api/organizations");
        var personal = organizations.EnumerateArray().Single(o => o.GetProperty("isPersonal").GetBoolean());
        return new Caller(client, email, Guid.Parse(personal.GetProperty("organizationId").GetString()!), personal.GetProperty("name").GetString()!);
    }

    private async Task AddMemberAsync(Guid organizationId, Guid membersPersonalOrganizationId)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var userId = await db.Memberships.Where(m => m.OrganizationId == membersPersonalOrganizationId).Select(m => m.UserId).SingleAsync();
        var organization = await db.Organizations.Include(o => o.Memberships).SingleAsync(o => o.Id == organizationId);
        Assert.True(organization.AddMember(userId, OrganizationRole.Member, DateTimeOffset.UtcNow).IsSuccess);
        await db.SaveChangesAsync();
    }

    private sealed record Caller(HttpClient Client, string Email, Guid OrganizationId, string Name);

    private sealed record AnyRoute(string Method, RoutePattern Pattern, bool Anonymous)
    {
        public bool IsPage => Method == "PAGE";

        public string Key
        {
            get
            {
                var path = "/" + Pattern.RawText!.Trim('/');
                return $"{Method} {(IsPage ? path.Replace("/{handler?}", "", StringComparison.Ordinal) : path)}";
            }
        }

        /// <summary>A page is asked for with GET and with a (token-less) POST; an endpoint with its own method and a valid body.</summary>
        public IEnumerable<HttpRequestMessage> Requests()
        {
            if (!IsPage)
            {
                yield return new ApiRoute(Method, Pattern).Request(organizationId: null);
                yield break;
            }

            var path = "/" + string.Join('/', Pattern.PathSegments
                .Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart { IsOptional: true } => string.Empty,
                    RoutePatternParameterPart => Guid.NewGuid().ToString(),
                    RoutePatternSeparatorPart separator => separator.Content,
                    _ => string.Empty,
                })))
                .Where(segment => segment.Length > 0));
            yield return new HttpRequestMessage(HttpMethod.Get, path);
            yield return new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("subscriptionId", Guid.NewGuid().ToString())]) };
        }

        public override string ToString() => Key;
    }

    private sealed record ApiRoute(string Method, RoutePattern Pattern)
    {
        public string Key => $"{Method} /{Pattern.RawText!.TrimStart('/')}";

        public HttpRequestMessage Request(Guid? organizationId)
        {
            var segments = Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { Name: "featureId" } => "projects",
                RoutePatternParameterPart { Name: "organizationId" } when organizationId is { } given => given.ToString(),
                RoutePatternParameterPart => Guid.NewGuid().ToString(),
                RoutePatternSeparatorPart separator => separator.Content,
                _ => throw new InvalidOperationException($"Unexpected route part in {Key}."),
            })));
            var path = "/" + string.Join('/', segments);
            var query = new List<string>();
            if (Queries.TryGetValue(Key, out var needed))
            {
                query.Add(needed);
            }

            if (organizationId is { } id && !Pattern.Parameters.Any(p => p.Name == "organizationId"))
            {
                query.Add($"organizationId={id}");
            }

            if (query.Count > 0)
            {
                path += "?" + string.Join('&', query);
            }

            var request = new HttpRequestMessage(new HttpMethod(Method), path);
            if (Method is not "GET" and not "HEAD")
            {
                request.Content = JsonContent.Create(Bodies.GetValueOrDefault(Key, new { }));
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            }

            return request;
        }

        public override string ToString() => Key;
    }
}
