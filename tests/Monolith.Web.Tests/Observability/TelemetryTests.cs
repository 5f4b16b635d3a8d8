using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Observability;

/// <summary>
/// The app's metrics for webhooks and provider calls, and the OTLP export: a real HTTP collector on 127.0.0.1 receives
/// the app's spans and metrics (protobuf; names are plain UTF-8 inside, so the test looks for them in the bytes).
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string Secret = "whsec_telemetry_0123456789abcdef";
    private readonly PostgresTestDatabase _database = new();
    private readonly OtlpCollector _collector = new();
    private MonolithWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var endpoint = await _collector.StartAsync();
        _factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?>
        {
            ["Payments:InMemory:WebhookSecret"] = Secret,
            ["OpenTelemetry:Enabled"] = "true",
            ["OpenTelemetry:Endpoint"] = endpoint.ToString(),
            ["OpenTelemetry:ExportInterval"] = "00:00:00.200",
        });
        _ = _factory.Server;
    }

    [Fact]
    public async Task Webhooks_AreCountedAsReceivedAppliedDuplicateAndRejected()
    {
        using var recorder = new MetricRecorder(_factory.Services.GetRequiredService<IMeterFactory>());
        var body = Envelope($"evt_{Guid.NewGuid():N}", "customer.tax_id.created");

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, Sign(body, Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, Sign(body, Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(body, Sign(body, "whsec_wrong_secret_value"))).StatusCode);

        Assert.Equal(3, recorder.Sum("monolith.webhooks.received", ("provider", "inmemory")));
        Assert.Equal(1, recorder.Sum("monolith.webhooks.applied", ("provider", "inmemory"), ("status", "Ignored")));
        Assert.Equal(1, recorder.Sum("monolith.webhooks.duplicate", ("provider", "inmemory")));
        Assert.Equal(1, recorder.Sum("monolith.webhooks.rejected", ("provider", "inmemory"), ("code", "billing.webhook.signature_invalid")));
    }

    [Fact]
    public async Task ProviderCalls_AreTimedPerOperation()
    {
        using var recorder = new MetricRecorder(_factory.Services.GetRequiredService<IMeterFactory>());
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");

        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });

        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Assert.Equal(1, recorder.Count("monolith.provider.call.duration", ("provider", "inmemory"), ("operation", "create_checkout_session"), ("outcome", "ok")));
        Assert.Equal(0, recorder.Count("monolith.provider.call.errors"));
    }

    [Fact]
    public async Task OtlpExport_SendsSpansAndMetricsToTheCollector()
    {
        var body = Envelope($"evt_{Guid.NewGuid():N}", "customer.tax_id.created");
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, Sign(body, Secret))).StatusCode);

        await WaitUntilAsync(() => _collector.Received("/v1/traces", "webhook.receive"), "the webhook span to reach the collector");
        await WaitUntilAsync(() => _collector.Received("/v1/metrics", "monolith.webhooks.received"), "the webhook counter to reach the collector");
        // The ASP.NET Core instrumentation's server span: its scope and the route template it records (http.route).
        await WaitUntilAsync(() => _collector.Received("/v1/traces", "/webhooks/{provider}"), "the ASP.NET Core server span to reach the collector");
        Assert.True(_collector.Received("/v1/traces", "Microsoft.AspNetCore"), "the server span comes from ASP.NET Core");
        Assert.True(_collector.Received("/v1/traces", "monolith"), "the resource names the service");
        Assert.All(_collector.ContentTypes, t => Assert.Equal("application/x-protobuf", t));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _collector.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/inmemory") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Simulator-Signature", signature);
        return await _factory.CreateClient().SendAsync(request);
    }

    private static string Envelope(string id, string type)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new { id, type, created = now.ToUnixTimeSeconds(), data = new { occurred_at = now, @object = new { id = "obj_1" } } });
    }

    private static string Sign(string body, string secret)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexString(mac).ToLowerInvariant()}";
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A minimal OTLP/HTTP collector: records every POST's path, content type and body.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _requests = new();
        private WebApplication? _app;

        public IEnumerable<string?> ContentTypes => _requests.Select(r => r.ContentType);

        public async Task<Uri> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                _requests.Enqueue((context.Request.Path.Value!, context.Request.ContentType, buffer.ToArray()));
                return Results.Ok();
            });
            await _app.StartAsync();
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new Uri(address);
        }

        public bool Received(string path, string text)
        {
            var needle = Encoding.UTF8.GetBytes(text);
            return _requests.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
