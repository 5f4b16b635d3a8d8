using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Infrastructure.Tests.Billing.Simulator;

internal sealed record ReceivedWebhook(byte[] Body, Dictionary<string, string> Headers);

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 that records every webhook POST; optionally answers the first N with
/// <c>failStatus</c> (500 unless told).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failFirst;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int Rejected => _rejected;

    private int _rejected;

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>Every POST the endpoint answered, in order: the status it gave.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, int failStatus = 500)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { _failFirst = failFirst };
        app.MapPost("/webhooks/inmemory", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            if (Interlocked.Decrement(ref receiver._failFirst) >= 0)
            {
                Interlocked.Increment(ref receiver._rejected);
                receiver.Answers.Enqueue(failStatus);
                return Results.StatusCode(failStatus);
            }

            receiver.Answers.Enqueue(200);
            receiver.Received.Enqueue(new ReceivedWebhook(
                buffer.ToArray(), request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The simulator as the app registers it (AddPayments), delivering to a <see cref="WebhookReceiver"/>.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const string Secret = "whsec_test_simulator_secret_0123456789";
    public const string ProMonthly = "sim_price_pro_monthly";
    public const string Lifetime = "sim_price_lifetime_report";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly IHost _host;

    private SimulatorHarness(IHost host, WebhookReceiver receiver)
    {
        _host = host;
        Receiver = receiver;
    }

    public WebhookReceiver Receiver { get; }
    public IPaymentsPort Port => _host.Services.GetRequiredService<IPaymentsPort>();
    public SimulatorState State => _host.Services.GetRequiredService<SimulatorState>();
    public SimulatorClock Clock => _host.Services.GetRequiredService<SimulatorClock>();
    public SimulatorWebhookDispatcher Dispatcher => _host.Services.GetRequiredService<SimulatorWebhookDispatcher>();
    public IServiceProvider Services => _host.Services;

    public static async Task<SimulatorHarness> StartAsync(
        IDictionary<string, string?>? settings = null, int receiverFailsFirst = 0, int receiverFailStatus = 500)
    {
        var receiver = await WebhookReceiver.StartAsync(receiverFailsFirst, receiverFailStatus);
        var config = new Dictionary<string, string?>
        {
            ["Payments:Provider"] = "InMemory",
            ["Payments:InMemory:AllowOutsideDevelopment"] = "true", // a bare host is Production
            ["Payments:InMemory:WebhookBaseUrl"] = receiver.BaseAddress.ToString(),
            ["Payments:InMemory:WebhookSecret"] = Secret,
            ["Payments:InMemory:RetryBaseDelay"] = "00:00:00.020",
            ["Billing:Plans:0:Id"] = "pro",
            ["Billing:Plans:0:Name"] = "Pro",
            ["Billing:Plans:0:Features:0"] = "reports",
            ["Billing:Plans:0:Prices:0:Id"] = "pro-monthly",
            ["Billing:Plans:0:Prices:0:Amount"] = "1900",
            ["Billing:Plans:0:Prices:0:Currency"] = "EUR",
            ["Billing:Plans:0:Prices:0:Interval"] = "month",
            ["Billing:Plans:0:Prices:0:ProviderPriceIds:inmemory"] = ProMonthly,
            ["Billing:Plans:0:Prices:1:Id"] = "pro-yearly",
            ["Billing:Plans:0:Prices:1:Amount"] = "19000",
            ["Billing:Plans:0:Prices:1:Currency"] = "EUR",
            ["Billing:Plans:0:Prices:1:Interval"] = "year",
            ["Billing:Plans:0:Prices:1:ProviderPriceIds:inmemory"] = "sim_price_pro_yearly",
            ["Billing:Plans:1:Id"] = "lifetime-report",
            ["Billing:Plans:1:Name"] = "Lifetime report",
            ["Billing:Plans:1:Features:0"] = "lifetime-report",
            ["Billing:Plans:1:Prices:0:Id"] = "lifetime-report",
            ["Billing:Plans:1:Prices:0:Amount"] = "9900",
            ["Billing:Plans:1:Prices:0:Currency"] = "EUR",
            ["Billing:Plans:1:Prices:0:Interval"] = "one_time",
            ["Billing:Plans:1:Prices:0:ProviderPriceIds:inmemory"] = Lifetime,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBillingCatalog(builder.Configuration);
        builder.Services.AddPayments(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new SimulatorHarness(host, receiver);
    }

    public async Task<(Guid AccountId, string CustomerId, string SessionId)> StartCheckoutAsync(
        string providerPriceId = ProMonthly, int? trialDays = null)
    {
        var accountId = Guid.NewGuid();
        var customer = await Port.CreateCustomerAsync(new CreateCustomerRequest(accountId, Guid.NewGuid(), "a@example.test", "A"), $"cus-{accountId}", default);
        Assert.True(customer.IsSuccess);
        var mode = providerPriceId == Lifetime ? CheckoutMode.Payment : CheckoutMode.Subscription;
        var session = await Port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(accountId, customer.Value, mode, providerPriceId, 1, trialDays,
                new Uri("https://app.example.test/billing/success"), new Uri("https://app.example.test/billing/canceled")),
            $"checkout-{accountId}", default);
        Assert.True(session.IsSuccess);
        return (accountId, customer.Value, session.Value.ProviderSessionId);
    }

    /// <summary>Every received webhook, verified and normalized by the port; polls until <paramref name="until"/> holds.</summary>
    public async Task<IReadOnlyList<ParsedWebhook>> WaitForAsync(Func<IReadOnlyList<ParsedWebhook>, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (true)
        {
            var parsed = Parsed();
            if (until(parsed))
            {
                return parsed;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Timed out; received: {string.Join(", ", parsed.Select(p => p.EventType))}");
            }

            await Task.Delay(20);
        }
    }

    public IReadOnlyList<ParsedWebhook> Parsed() =>
        Receiver.Received.Select(r =>
        {
            var result = Port.ParseWebhook(r.Body, r.Headers, DateTimeOffset.UtcNow);
            Assert.True(result.IsSuccess, result.Error?.Code);
            return result.Value;
        }).ToList();

    public static IEnumerable<T> Events<T>(IEnumerable<ParsedWebhook> parsed) where T : ProviderEvent =>
        parsed.SelectMany(p => p.Events!).OfType<T>();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Receiver.DisposeAsync();
    }
}
