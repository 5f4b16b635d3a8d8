using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Monolith.Web.Tests.Common;

public sealed class HttpContractTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Fact]
    public async Task HealthLive_IsHealthy()
    {
        var response = await host.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthReady_ReportsDatabaseAndOutbox()
    {
        var response = await host.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var outbox = report.GetProperty("checks").GetProperty("outbox");
        Assert.Equal("Healthy", outbox.GetProperty("status").GetString());
        Assert.True(outbox.GetProperty("data").GetProperty("lagSeconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task Api_Anonymous_Gets401ProblemDetailsWithCodeAndTraceId()
    {
        var response = await host.CreateClient().GetAsync("/api/organizations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("auth.sign_in_required", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task Api_InvalidBody_Gets400ValidationProblemWithFieldErrors()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");

        var response = await client.PostAsJsonAsync("/api/organizations", new { name = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation.failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Name", out _));
    }

    [Fact]
    public async Task Api_CreateWithIdempotencyKey_ReplaysAndRefusesAChangedPayload()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(client, "Acme", key);
        var replay = await PostAsync(client, "Acme", key);
        var changed = await PostAsync(client, "Globex", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("idempotency.key_reused", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Api_OtherOrganization_Gets404AndNoData()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");

        var response = await client.GetAsync($"/api/organizations/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("auth.organization_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Api_MalformedJson_Gets400ProblemDetails()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");

        var response = await client.PostAsync("/api/organizations", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.json_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesTheBillingApi()
    {
        var document = await host.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/billing/checkout", "/api/billing/portal", "/api/billing/subscriptions", "/api/billing/balances",
                     "/api/billing/usage", "/api/billing/entitlements/{featureId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document.");
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string name, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/organizations") { Content = JsonContent.Create(new { name }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
