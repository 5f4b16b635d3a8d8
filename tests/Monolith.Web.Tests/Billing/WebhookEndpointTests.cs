using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// POST /webhooks/{provider} as a provider (or an attacker) calls it. Signatures are computed here, independently of
/// the app's signer: <c>Simulator-Signature: t=unix,v1=hex(HMAC-SHA256(secret, "t.body"))</c>.
/// </summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private const string Secret = "whsec_test_0123456789abcdef";
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?> { ["Payments:InMemory:WebhookSecret"] = Secret });
        _ = _factory.Server;
    }

    [Fact]
    public async Task Webhook_UnknownTypeCorrectlySigned_Is200IgnoredAndRecordedOnce()
    {
        var body = Envelope($"evt_{Guid.NewGuid():N}", "customer.tax_id.created");

        var first = await PostAsync(body, Sign(body, Secret));
        var second = await PostAsync(body, Sign(body, Secret));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", result.GetProperty("status").GetString());
        Assert.False(result.GetProperty("duplicate").GetBoolean());
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await InboxCountAsync());
    }

    public static TheoryData<string, string?> BadSignatures => new()
    {
        { "missing header", null },
        { "malformed header", "garbage" },
        { "wrong secret", "WRONG" },
        { "stale timestamp", "STALE" },
        { "tampered body", "TAMPER" },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Webhook_BadSignature_Is400AndStoresNothing(string reason, string? mode)
    {
        var body = Envelope($"evt_{Guid.NewGuid():N}", "customer.tax_id.created");
        var header = mode switch
        {
            null => null,
            "WRONG" => Sign(body, "whsec_some_other_secret_value"),
            "STALE" => Sign(body, Secret, DateTimeOffset.UtcNow.AddMinutes(-10)),
            "TAMPER" => Sign(body, Secret),
            _ => mode,
        };
        var sent = mode == "TAMPER" ? body.Replace("customer.tax_id.created", "invoice.paid", StringComparison.Ordinal) : body;

        var response = await PostAsync(sent, header);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, reason);
        Assert.Equal("billing.webhook.signature_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Webhook_NonJsonBodyWithAValidSignature_Is400AndStoresNothing()
    {
        const string body = "this is not json";

        var response = await PostAsync(body, Sign(body, Secret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("billing.webhook.payload_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Webhook_OversizedBody_Is413AndStoresNothing()
    {
        var body = Envelope($"evt_{Guid.NewGuid():N}", "customer.tax_id.created", padding: new string('x', 300 * 1024));

        var response = await PostAsync(body, Sign(body, Secret));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("billing.webhook.payload_too_large", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Webhook_ForAProviderThatIsNotConfigured_Is404()
    {
        var response = await _factory.CreateClient().PostAsync("/webhooks/paddle", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("billing.webhook.provider_unknown", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/inmemory") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Simulator-Signature", signature);
        }

        return await _factory.CreateClient().SendAsync(request);
    }

    private async Task<int> InboxCountAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEvents.CountAsync();
    }

    private static string Envelope(string id, string type, string padding = "")
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            id,
            type,
            created = now.ToUnixTimeSeconds(),
            data = new { occurred_at = now, @object = new { id = "obj_1", padding } },
        });
    }

    private static string Sign(string body, string secret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexString(mac).ToLowerInvariant()}";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
