using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Web.Tests.Common;

/// <summary>A bug or fault behind a JSON route answers ProblemDetails (<c>code</c>, <c>traceId</c>), whatever the caller accepts.</summary>
public sealed class ServerErrorTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/html")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("text/plain")]
    public async Task Fault_OnAJsonRoute_AnswersProblemDetailsWithCodeAndTraceId(string? accept)
    {
        var client = host.CreateClient();
        await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"fault-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        var key = Guid.NewGuid().ToString();
        var track = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage") { Content = JsonContent.Create(new { featureId = "api-calls", quantity = 1 }) };
        track.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(track)).StatusCode);
        // A row the model cannot read (an unknown mode): reading the ledger now throws inside the request.
        await using (var scope = host.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE billing_usage_events SET mode = 'Bogus' WHERE idempotency_key = {key}");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/billing/balances");
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("server.error", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("Bogus", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
