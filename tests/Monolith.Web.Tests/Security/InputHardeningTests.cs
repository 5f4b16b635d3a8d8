using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>
/// Input the API refuses as a whole: names with control or text-direction characters, and numbers that are not JSON
/// numbers of the right kind and range on the billing API. Each refusal is a 400 with its code, and nothing is written.
/// </summary>
public sealed class InputHardeningTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database);
        _ = _factory.Server;
    }

    [Theory]
    [InlineData("Acme\u0000Corp")]
    [InlineData("Acme\r\nBcc: x")]
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("\u2067Acme\u2069")]
    public async Task Organization_NameWithControlOrBidiCharacters_Is400AndNothingIsWritten(string name)
    {
        var client = await RegisterAsync();
        var personal = await PersonalOrganizationAsync(client);
        var version = (await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{personal}")).GetProperty("version").GetInt64();

        var created = await client.PostAsJsonAsync("/api/organizations", new { name });
        var renamed = await client.PutAsJsonAsync($"/api/organizations/{personal}/name", new { name, expectedVersion = version });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal("names.invalid_characters", await CodeAsync(created));
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Equal("names.invalid_characters", await CodeAsync(renamed));
        var organizations = (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray().ToList();
        var only = Assert.Single(organizations);
        Assert.EndsWith("'s organisation", only.GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organization_NameInAnotherScriptWithEmoji_IsAccepted()
    {
        var client = await RegisterAsync();

        var created = await client.PostAsJsonAsync("/api/organizations", new { name = "شركة 🚀 Ødegaard" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [InlineData("/api/billing/usage", "{\"featureId\":\"api-calls\",\"quantity\":\"5\"}")]
    [InlineData("/api/billing/usage", "{\"featureId\":\"api-calls\",\"quantity\":1.5}")]
    [InlineData("/api/billing/usage", "{\"featureId\":\"api-calls\",\"quantity\":1e30}")]
    [InlineData("/api/billing/usage", "{\"featureId\":\"api-calls\",\"quantity\":99999999999999999999}")]
    [InlineData("/api/billing/checkout", "{\"priceId\":\"pro-monthly\",\"quantity\":\"2\"}")]
    [InlineData("/api/billing/checkout", "{\"priceId\":\"pro-monthly\",\"quantity\":2.5}")]
    [InlineData("/api/billing/checkout", "{\"priceId\":\"pro-monthly\",\"quantity\":3000000000}")]
    public async Task BillingApi_NumberThatIsNotAJsonNumberOfItsKind_Is400JsonInvalidAndNothingIsWritten(string path, string body)
    {
        var client = await RegisterAsync();
        var organization = await PersonalOrganizationAsync(client);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("request.json_invalid", await CodeAsync(response));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var accounts = db.BillingAccounts.Where(a => a.OrganizationId == organization).Select(a => a.Id);
        Assert.Equal(0, await db.UsageEvents.CountAsync(u => accounts.Contains(u.BillingAccountId)));
        Assert.Equal(0, await db.CheckoutSessions.CountAsync(s => accounts.Contains(s.BillingAccountId)));
    }

    [Fact]
    public async Task BillingApi_RefundAmountAsAString_Is400JsonInvalid()
    {
        var client = await RegisterAsync();

        var response = await client.PostAsync($"/api/billing/payments/{Guid.NewGuid()}/refunds",
            new StringContent("{\"amountMinor\":\"100\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.json_invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task BillingApi_ProperNumbers_AreStillAccepted()
    {
        var client = await RegisterAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage")
        {
            Content = new StringContent("{\"featureId\":\"api-calls\",\"quantity\":5}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpClient> RegisterAsync()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"input-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect, $"Registration failed with {(int)registered.StatusCode}.");
        return client;
    }

    private static async Task<Guid> PersonalOrganizationAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
        .Where(o => o.GetProperty("isPersonal").GetBoolean()).Select(o => Guid.Parse(o.GetProperty("organizationId").GetString()!)).Single();

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
