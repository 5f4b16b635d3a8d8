using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing;

public sealed class BillingApiTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Theory]
    [InlineData("/api/billing/subscriptions")]
    [InlineData("/api/billing/balances")]
    [InlineData("/api/billing/entitlements/projects")]
    public async Task Get_Anonymous_Is401(string path)
    {
        var response = await host.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Usage_TrackedWithAKey_ShowsInBalancesAndReplays()
    {
        var client = await SignedInAsync();
        var key = Guid.NewGuid().ToString();

        var first = await TrackAsync(client, new { featureId = "api-calls", quantity = 7 }, key);
        var replay = await TrackAsync(client, new { featureId = "api-calls", quantity = 7 }, key);
        var balances = await client.GetFromJsonAsync<JsonElement>("/api/billing/balances");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        var apiCalls = balances.EnumerateArray().Single(b => b.GetProperty("featureId").GetString() == "api-calls");
        Assert.Equal(7, apiCalls.GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Usage_SetTotalMode_IsReadAsASnakeCaseString()
    {
        var client = await SignedInAsync();

        var response = await TrackAsync(client, new { featureId = "api-calls", quantity = 50, mode = "set_total" }, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Usage_WithoutKey_Is400NamingTheField()
    {
        var client = await SignedInAsync();

        var response = await client.PostAsJsonAsync("/api/billing/usage", new { featureId = "api-calls", quantity = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("IdempotencyKey", out _));
    }

    [Fact]
    public async Task Get_ForAnOrganizationTheCallerIsNotIn_Is404()
    {
        var client = await SignedInAsync();

        var response = await client.GetAsync($"/api/billing/balances?organizationId={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = host.CreateClient();
        var email = $"api-{Guid.NewGuid():N}@example.test";
        await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        return client;
    }

    private static Task<HttpResponseMessage> TrackAsync(HttpClient client, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
