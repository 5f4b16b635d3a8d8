using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;
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
    public async Task Usage_QuantityOfLongMaxValue_Is400WithACodeAndNothingIsWritten()
    {
        var client = await SignedInAsync();

        var first = await TrackAsync(client, new { featureId = "api-calls", quantity = long.MaxValue }, Guid.NewGuid().ToString());
        var second = await TrackAsync(client, new { featureId = "api-calls", quantity = long.MaxValue }, Guid.NewGuid().ToString());
        var balances = await client.GetFromJsonAsync<JsonElement>("/api/billing/balances");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("billing.usage.quantity_too_large", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, balances.EnumerateArray().Single(b => b.GetProperty("featureId").GetString() == "api-calls").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Usage_AccountHoldingRowsWhoseSumOverflows_IsReadableOnEveryRoute()
    {
        var client = await SignedInAsync();
        var keys = new[] { Guid.NewGuid().ToString(), Guid.NewGuid().ToString() };
        foreach (var key in keys)
        {
            Assert.Equal(HttpStatusCode.OK, (await TrackAsync(client, new { featureId = "api-calls", quantity = 1 }, key)).StatusCode);
        }

        await using (var scope = host.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE billing_usage_events SET quantity = {long.MaxValue} WHERE idempotency_key IN ({keys[0]}, {keys[1]})");
        }

        var balances = await client.GetAsync("/api/billing/balances");
        var entitlement = await client.GetAsync("/api/billing/entitlements/api-calls");
        var page = await client.GetAsync("/billing");
        var more = await TrackAsync(client, new { featureId = "api-calls", quantity = 1 }, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.OK, balances.StatusCode);
        Assert.Equal(HttpStatusCode.OK, entitlement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var apiCalls = (await entitlement.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(long.MaxValue, apiCalls.GetProperty("used").GetInt64());
        Assert.False(apiCalls.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, more.StatusCode);
        Assert.Equal("billing.usage.period_total_exceeded", (await more.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
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
