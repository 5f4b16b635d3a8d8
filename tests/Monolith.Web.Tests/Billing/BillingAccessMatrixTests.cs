using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Infrastructure.Persistence;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// Who may call what, for every JSON route under /api/billing and /api/organizations as the app itself reports them, so
/// a route added tomorrow is in the matrix without anyone listing it. User A owns an organisation, user B is a stranger
/// to it, user M is a plain member of it.
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
    public async Task AnyRoute_Anonymous_Is401ProblemWithCode()
    {
        var client = host.CreateClient();
        var failures = new List<string>();

        foreach (var route in Routes())
        {
            var response = await client.SendAsync(route.Request(organizationId: null));
            var code = await ProblemCodeAsync(response);
            if (response.StatusCode != HttpStatusCode.Unauthorized || code is null)
            {
                failures.Add($"{route}: {(int)response.StatusCode} code={code ?? "<none>"}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

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
