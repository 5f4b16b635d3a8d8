using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.TestSupport.Billing;

namespace Monolith.Web.Tests.Security;

/// <summary>Two apps on their own databases: one with the simulator active, one with the Stripe adapter.</summary>
public sealed class WebhookProvidersFixture : IAsyncLifetime
{
    public const string SimulatorSecret = "whsec_sim_bad_input_0123456789";
    public const string StripeSecret = "whsec_stripe_bad_input_0123456789";

    private readonly PostgresTestDatabase _simulatorDatabase = new();
    private readonly PostgresTestDatabase _stripeDatabase = new();

    public MonolithWebFactory Simulator { get; private set; } = null!;
    public MonolithWebFactory Stripe { get; private set; } = null!;

    public MonolithWebFactory For(string provider) => provider == "stripe" ? Stripe : Simulator;

    public async Task InitializeAsync()
    {
        await _simulatorDatabase.InitializeAsync();
        await _stripeDatabase.InitializeAsync();
        Simulator = new MonolithWebFactory(_simulatorDatabase, settings: new Dictionary<string, string?>
        {
            ["Payments:InMemory:WebhookSecret"] = SimulatorSecret,
        });
        Stripe = new MonolithWebFactory(_stripeDatabase, settings: new Dictionary<string, string?>
        {
            ["Payments:Provider"] = "Stripe",
            ["Payments:Stripe:SecretKey"] = "sk_test_bad_input_not_a_real_key",
            ["Payments:Stripe:WebhookSecrets:0"] = StripeSecret,
            // Never called by these tests; a closed port on loopback so that nothing could leave the machine anyway.
            ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:9",
        });
        _ = Simulator.Server;
        _ = Stripe.Server;
    }

    public async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Stripe.DisposeAsync();
        await _simulatorDatabase.DisposeAsync();
        await _stripeDatabase.DisposeAsync();
    }
}

/// <summary>
/// Forged, broken and hostile webhook deliveries to /webhooks/inmemory and /webhooks/stripe, each signed (or mis-signed)
/// here, independently of the app: <c>t=unix,v1=hex(HMAC-SHA256(secret, "t.body"))</c>. Every refusal must answer the
/// documented status and code and change no row in any table; the two accepted oddities (an unknown type, an unknown
/// account) write exactly the inbox row (and, for the parked one, its wait keys) — see docs/security.md.
/// </summary>
public sealed class WebhookBadInputTests(WebhookProvidersFixture apps) : IClassFixture<WebhookProvidersFixture>
{
    public static TheoryData<string> Providers => new() { "inmemory", "stripe" };

    public static TheoryData<string, string> Refusals()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in new[] { "inmemory", "stripe" })
        {
            foreach (var attack in new[] { "missing header", "empty header", "malformed header", "no v1", "non-numeric t", "wrong secret",
                         "tampered body", "stale timestamp", "signature of another body", "oversized body", "oversized chunked body",
                         "non-JSON body", "JSON without id and type" })
            {
                data.Add(provider, attack);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Webhook_BadInput_IsRefusedWithItsCodeAndWritesNothing(string provider, string attack)
    {
        var factory = apps.For(provider);
        var body = Event(provider, $"evt_{Guid.NewGuid():N}", "customer.tax_id.created");
        var secret = Secret(provider);
        var (sent, header, chunked) = attack switch
        {
            "missing header" => (body, (string?)null, false),
            "empty header" => (body, "", false),
            "malformed header" => (body, "garbage", false),
            "no v1" => (body, $"t={Now()}", false),
            "non-numeric t" => (body, Sign(body, secret).Replace($"t={Now()}", "t=yesterday", StringComparison.Ordinal), false),
            "wrong secret" => (body, Sign(body, "whsec_some_other_secret_value"), false),
            "tampered body" => (body.Replace("customer.tax_id.created", "invoice.paid", StringComparison.Ordinal), Sign(body, secret), false),
            "stale timestamp" => (body, Sign(body, secret, DateTimeOffset.UtcNow.AddMinutes(-10)), false),
            "signature of another body" => (body, Sign(Event(provider, "evt_other", "customer.tax_id.created"), secret), false),
            "oversized body" => Oversized(provider, secret, chunkedBody: false),
            "oversized chunked body" => Oversized(provider, secret, chunkedBody: true),
            "non-JSON body" => ("this is not json", Sign("this is not json", secret), false),
            "JSON without id and type" => ("{\"data\":{}}", Sign("{\"data\":{}}", secret), false),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
        };
        var (status, code) = attack switch
        {
            "oversized body" or "oversized chunked body" => (HttpStatusCode.RequestEntityTooLarge, "billing.webhook.payload_too_large"),
            "non-JSON body" or "JSON without id and type" => (HttpStatusCode.BadRequest, "billing.webhook.payload_invalid"),
            _ => (HttpStatusCode.BadRequest, "billing.webhook.signature_invalid"),
        };
        var before = await TableCounts.ReadAsync(factory.Services);

        var response = await PostAsync(factory, provider, sent, header, chunked);

        Assert.True(status == response.StatusCode, $"{provider}/{attack}: expected {(int)status}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var delta = TableCounts.Delta(before, await TableCounts.ReadAsync(factory.Services));
        Assert.True(delta.Count == 0, $"{provider}/{attack} wrote: {TableCounts.Describe(delta)}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Webhook_ReplayOfAValidEvent_Is200DuplicateAndWritesNothingMore(string provider)
    {
        var factory = apps.For(provider);
        var body = Event(provider, $"evt_{Guid.NewGuid():N}", "customer.tax_id.created");
        var header = Sign(body, Secret(provider));
        var first = await PostAsync(factory, provider, body, header);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await TableCounts.ReadAsync(factory.Services);

        var replay = await PostAsync(factory, provider, body, header);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        var delta = TableCounts.Delta(before, await TableCounts.ReadAsync(factory.Services));
        Assert.True(delta.Count == 0, $"the replay wrote: {TableCounts.Describe(delta)}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Webhook_UnknownEventType_Is200IgnoredAndWritesOnlyTheInboxRow(string provider)
    {
        var factory = apps.For(provider);
        var body = Event(provider, $"evt_{Guid.NewGuid():N}", "customer.tax_id.created");
        var before = await TableCounts.ReadAsync(factory.Services);

        var response = await PostAsync(factory, provider, body, Sign(body, Secret(provider)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", result.GetProperty("status").GetString());
        Assert.False(result.GetProperty("duplicate").GetBoolean());
        // Recorded as ignored on receipt (the inbox row keeps the type, payload, time and reason); nothing else.
        var delta = TableCounts.Delta(before, await TableCounts.ReadAsync(factory.Services));
        Assert.Equal(new Dictionary<string, long> { ["billing_webhook_events"] = 1 }, delta);
        Assert.Empty(await AuditTypesAsync(factory, result));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Webhook_PaymentForAnUnknownAccount_Is200ParkedAndGrantsNothing(string provider)
    {
        var factory = apps.For(provider);
        var body = PaymentSucceeded(provider, $"evt_{Guid.NewGuid():N}", accountId: Guid.NewGuid());
        var before = await TableCounts.ReadAsync(factory.Services);

        var response = await PostAsync(factory, provider, body, Sign(body, Secret(provider)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("received", result.GetProperty("status").GetString());
        await factory.Services.WebhooksAppliedAsync();
        Assert.Equal(WebhookEventStatus.Parked, await InboxStatusAsync(factory, result));
        var delta = TableCounts.Delta(before, await TableCounts.ReadAsync(factory.Services));
        Assert.Equal(1, delta.GetValueOrDefault("billing_webhook_events"));
        Assert.Equal(1, delta.GetValueOrDefault("outbox_messages"));
        Assert.True(delta.GetValueOrDefault("billing_pending_provider_events") >= 1, TableCounts.Describe(delta));
        Assert.True(delta.Keys.All(t => t is "billing_webhook_events" or "billing_pending_provider_events" or "outbox_messages"),
            $"a parked event may write only its inbox row, its audit events and wait keys, but wrote: {TableCounts.Describe(delta)}");
        Assert.Equal(["WebhookEventParked"], await AuditTypesAsync(factory, result));
    }

    /// <summary>The outbox rows raised by the inbox row this answer names (its received/ignored/parked audit events).</summary>
    private static async Task<List<string>> AuditTypesAsync(MonolithWebFactory factory, JsonElement result)
    {
        var id = result.GetProperty("webhookEventId").GetString()!;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var types = await db.OutboxMessages.AsNoTracking().Where(m => m.Payload.Contains(id)).Select(m => m.Type).ToListAsync();
        return types.Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<WebhookEventStatus> InboxStatusAsync(MonolithWebFactory factory, JsonElement result)
    {
        var id = Guid.Parse(result.GetProperty("webhookEventId").GetString()!);
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEvents.Where(e => e.Id == id).Select(e => e.Status).SingleAsync();
    }

    private static string Secret(string provider) =>
        provider == "stripe" ? WebhookProvidersFixture.StripeSecret : WebhookProvidersFixture.SimulatorSecret;

    private static (string Body, string? Header, bool Chunked) Oversized(string provider, string secret, bool chunkedBody)
    {
        var body = Event(provider, $"evt_{Guid.NewGuid():N}", "customer.tax_id.created", padding: new string('x', 300 * 1024));
        return (body, Sign(body, secret), chunkedBody);
    }

    private static async Task<HttpResponseMessage> PostAsync(MonolithWebFactory factory, string provider, string body, string? signature, bool chunked = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        HttpContent content = chunked ? new UnknownLengthContent(bytes) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{provider}") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(provider == "stripe" ? "Stripe-Signature" : "Simulator-Signature", signature);
        }

        return await factory.CreateClient().SendAsync(request);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Sign(string body, string secret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>An event envelope in the provider's own shape around a harmless object.</summary>
    private static string Event(string provider, string id, string type, string padding = "") =>
        Envelope(provider, id, type, new JsonObject { ["id"] = "obj_1", ["object"] = "tax_id", ["padding"] = padding });

    private static string PaymentSucceeded(string provider, string id, Guid accountId)
    {
        var payment = provider == "stripe"
            ? new JsonObject
            {
                ["id"] = $"pi_{Guid.NewGuid():N}", ["object"] = "payment_intent", ["amount"] = 9900, ["amount_received"] = 9900, ["currency"] = "eur",
                ["status"] = "succeeded", ["latest_charge"] = $"ch_{Guid.NewGuid():N}",
                ["metadata"] = new JsonObject { ["billing_account_id"] = accountId.ToString() },
            }
            : new JsonObject
            {
                ["id"] = $"pi_sim_{Guid.NewGuid():N}", ["customer"] = null, ["account_id"] = accountId.ToString(), ["kind"] = "one_time",
                ["invoice"] = null, ["amount"] = 9900, ["currency"] = "EUR", ["status"] = "succeeded", ["charge"] = $"ch_sim_{Guid.NewGuid():N}",
                ["captured"] = 9900, ["failure_code"] = null,
            };
        return Envelope(provider, id, "payment_intent.succeeded", payment);
    }

    private static string Envelope(string provider, string id, string type, JsonObject obj)
    {
        var now = DateTimeOffset.UtcNow;
        var envelope = provider == "stripe"
            ? new JsonObject
            {
                ["id"] = id, ["object"] = "event", ["type"] = type, ["created"] = now.ToUnixTimeSeconds(), ["api_version"] = "2025-03-31.basil",
                ["livemode"] = false, ["data"] = new JsonObject { ["object"] = obj },
            }
            : new JsonObject
            {
                ["id"] = id, ["type"] = type, ["created"] = now.ToUnixTimeSeconds(),
                ["data"] = new JsonObject { ["occurred_at"] = now.ToString("O", CultureInfo.InvariantCulture), ["object"] = obj },
            };
        return envelope.ToJsonString();
    }

    /// <summary>A body sent without Content-Length (chunked), so the endpoint's bound is tested while reading, not by the header.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
