using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>The official reference data in <c>../shared/stripe</c>, next to the repository root.</summary>
internal static class StripeFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "stripe");
            }
        }

        throw new InvalidOperationException("Monolith.sln not found above the test binaries.");
    });

    public static string PathOf(string file) => Path.Combine(Root.Value, file);

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllBytes(PathOf(file)));

    /// <summary>A fresh copy of <c>resources[name]</c> from the 2026-08-21 fixtures.</summary>
    public static JsonObject Fixture(string name)
    {
        var all = JsonNode.Parse(File.ReadAllText(PathOf("fixtures3-2026-08-21.json")))!;
        return all["resources"]![name]!.AsObject().DeepClone().AsObject();
    }

    /// <summary>A Stripe event envelope around <paramref name="obj"/>.</summary>
    public static byte[] Event(string type, JsonObject obj, string id = "evt_test_1", long created = 1767225600, string apiVersion = "2025-03-31.basil")
    {
        var envelope = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["type"] = type,
            ["created"] = created,
            ["api_version"] = apiVersion,
            ["livemode"] = false,
            ["data"] = new JsonObject { ["object"] = obj.DeepClone() },
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }
}

internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? this[string key] => Form.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A fake Stripe API on 127.0.0.1: records every request, answers scripted faults first (429, 500, a hang until the
/// client gives up), and creates checkout sessions once per Idempotency-Key, like Stripe.
/// </summary>
internal sealed class FakeStripe : IAsyncDisposable
{
    public const string SubscriptionId = "sub_fake_1";
    public const string ItemId = "si_fake_1";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task<bool>>> _faults = new();
    private readonly ConcurrentDictionary<string, string> _sessionsByKey = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _overrides = new();
    private int _sessions;

    private FakeStripe(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int SessionsCreated => _sessions;

    public string BaseAddress => _app.Urls.First();

    /// <summary>The subscription the fake returns (the fixture, with a catalogue price and the basil shape).</summary>
    public JsonObject Subscription { get; set; } = StripeFixtures.Subscription(SubscriptionId, StripeHarness.StripeProMonthly);

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.Map("/{**path}", fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    public void FailNext(int status, string? retryAfter = null, string? shouldRetry = null, string body = """{"error":{"type":"api_error","message":"boom"}}""") =>
        _faults.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (shouldRetry is not null)
            {
                context.Response.Headers["Stripe-Should-Retry"] = shouldRetry;
            }

            context.Response.Headers["Request-Id"] = "req_fault";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
            return true;
        });

    /// <summary>The next request gets no answer until the client aborts it (its per-attempt timeout).</summary>
    public void HangNext() => _faults.Enqueue(async context =>
    {
        var aborted = new TaskCompletionSource();
        await using (context.RequestAborted.Register(() => aborted.TrySetResult()))
        {
            await aborted.Task;
        }

        return true;
    });

    public void Answer(string path, int status, string body) => _overrides[path] = (status, body);

    public RecordedRequest[] To(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToArray();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (context.Request.HasFormContentType)
        {
            foreach (var (key, values) in await context.Request.ReadFormAsync())
            {
                form.AddRange(values.Select(v => new KeyValuePair<string, string>(key, v ?? string.Empty)));
            }
        }

        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method, path,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), form));

        if (_faults.TryDequeue(out var fault) && await fault(context))
        {
            return;
        }

        context.Response.Headers["Request-Id"] = "req_" + Requests.Count.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        if (_overrides.TryGetValue(path, out var answer))
        {
            context.Response.StatusCode = answer.Status;
            await context.Response.WriteAsync(answer.Body);
            return;
        }

        var body = (context.Request.Method, path) switch
        {
            ("POST", "/v1/customers") => """{"id":"cus_fake_1","object":"customer"}""",
            ("POST", "/v1/checkout/sessions") => CheckoutSession(context.Request.Headers["Idempotency-Key"].ToString()),
            ("POST", "/v1/billing_portal/sessions") => """{"id":"bps_1","url":"https://billing.stripe.test/p/session/bps_1"}""",
            ("POST", "/v1/refunds") => """{"id":"re_fake_1","object":"refund","amount":500,"currency":"eur","status":"succeeded"}""",
            ("POST", "/v1/billing/meter_events") => """{"object":"billing.meter_event","event_name":"api-calls"}""",
            ("GET" or "POST", "/v1/subscriptions/" + SubscriptionId) => Subscription.ToJsonString(),
            ("DELETE", "/v1/subscriptions/" + SubscriptionId) => CanceledSubscription(),
            _ => null,
        };
        if (body is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such object"}}""");
            return;
        }

        await context.Response.WriteAsync(body);
    }

    private string CheckoutSession(string idempotencyKey) => _sessionsByKey.GetOrAdd(idempotencyKey, _ =>
    {
        var n = Interlocked.Increment(ref _sessions);
        var id = "cs_test_fake_" + n.ToString(CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new { id, @object = "checkout.session", url = $"https://checkout.stripe.test/c/pay/{id}", expires_at = 1767312000 });
    });

    private string CanceledSubscription()
    {
        var s = Subscription.DeepClone().AsObject();
        s["status"] = "canceled";
        return s.ToJsonString();
    }
}

internal static class StripeFixtures
{
    /// <summary>The fixture subscription (basil shape: periods on the item) with a known price, status and account.</summary>
    public static JsonObject Subscription(string id, string priceId, Guid? accountId = null)
    {
        var s = StripeFiles.Fixture("subscription");
        s["id"] = id;
        s["status"] = "active";
        s["cancel_at"] = null;
        s["canceled_at"] = null;
        s["ended_at"] = null;
        s["trial_end"] = null;
        s["cancel_at_period_end"] = false;
        s["metadata"] = accountId is null ? new JsonObject() : new JsonObject { ["billing_account_id"] = accountId.Value.ToString() };
        var item = s["items"]!["data"]![0]!.AsObject();
        item["id"] = FakeStripe.ItemId;
        item["price"]!["id"] = priceId;
        item["current_period_start"] = 1767225600;
        item["current_period_end"] = 1769904000;
        return s;
    }

    /// <summary>The same subscription in the shape before 2025-03-31.basil: periods at the top, not on the item.</summary>
    public static JsonObject ToLegacySubscription(JsonObject basil)
    {
        var s = basil.DeepClone().AsObject();
        var item = s["items"]!["data"]![0]!.AsObject();
        s["current_period_start"] = item["current_period_start"]!.DeepClone();
        s["current_period_end"] = item["current_period_end"]!.DeepClone();
        item.Remove("current_period_start");
        item.Remove("current_period_end");
        return s;
    }
}

/// <summary>The Stripe port as the app registers it (AddPayments), talking to a <see cref="FakeStripe"/>.</summary>
internal sealed class StripeHarness : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_key_do_not_log_0123456789";
    public const string WebhookSecret = "whsec_test_current_0123456789abcdef";
    public const string OldWebhookSecret = "whsec_test_previous_0123456789abcdef";
    public const string StripeProMonthly = "price_fake_pro_monthly";
    public const string StripeLifetime = "price_fake_lifetime";
    public const int MaxRetries = 3;

    private readonly IHost _host;

    private StripeHarness(IHost host, FakeStripe fake)
    {
        _host = host;
        Fake = fake;
    }

    public FakeStripe Fake { get; }

    public IPaymentsPort Port => _host.Services.GetRequiredService<IPaymentsPort>();

    public IServiceProvider Services => _host.Services;

    public static Dictionary<string, string?> Settings(string apiBase) => new()
    {
        ["Payments:Provider"] = "Stripe",
        ["Payments:Stripe:SecretKey"] = SecretKey,
        ["Payments:Stripe:WebhookSecrets:0"] = WebhookSecret,
        ["Payments:Stripe:WebhookSecrets:1"] = OldWebhookSecret,
        ["Payments:Stripe:ApiBase"] = apiBase,
        ["Payments:Stripe:RequestTimeoutSeconds"] = "1",
        ["Payments:Stripe:MaxRetries"] = MaxRetries.ToString(CultureInfo.InvariantCulture),
        ["Payments:Stripe:RetryBaseDelay"] = "00:00:00.010",
        ["Payments:Stripe:MaxRetryDelay"] = "00:00:00.050",
        ["Billing:Plans:0:Id"] = "pro",
        ["Billing:Plans:0:Name"] = "Pro",
        ["Billing:Plans:0:Features:0"] = "reports",
        ["Billing:Plans:0:Prices:0:Id"] = "pro-monthly",
        ["Billing:Plans:0:Prices:0:Amount"] = "1900",
        ["Billing:Plans:0:Prices:0:Currency"] = "EUR",
        ["Billing:Plans:0:Prices:0:Interval"] = "month",
        ["Billing:Plans:0:Prices:0:ProviderPriceIds:stripe"] = StripeProMonthly,
        ["Billing:Plans:1:Id"] = "lifetime-report",
        ["Billing:Plans:1:Name"] = "Lifetime report",
        ["Billing:Plans:1:Features:0"] = "lifetime-report",
        ["Billing:Plans:1:Prices:0:Id"] = "lifetime-report",
        ["Billing:Plans:1:Prices:0:Amount"] = "9900",
        ["Billing:Plans:1:Prices:0:Currency"] = "EUR",
        ["Billing:Plans:1:Prices:0:Interval"] = "one_time",
        ["Billing:Plans:1:Prices:0:ProviderPriceIds:stripe"] = StripeLifetime,
    };

    public static IHost BuildHost(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBillingCatalog(builder.Configuration);
        builder.Services.AddPayments(builder.Configuration);
        return builder.Build();
    }

    public static async Task<StripeHarness> StartAsync(IDictionary<string, string?>? overrides = null, ILoggerProvider? logs = null)
    {
        var fake = await FakeStripe.StartAsync();
        var settings = Settings(fake.BaseAddress);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = BuildHost(settings, logs);
        await host.StartAsync();
        return new StripeHarness(host, fake);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Fake.DisposeAsync();
    }
}

/// <summary>Keeps every formatted log line, to prove what is (not) logged.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
