using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>The Stripe port as the app registers it (AddPayments), talking to a <see cref="FakeStripe"/>.</summary>
internal sealed class StripeHarness : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_key_do_not_log_0123456789";
    public const string WebhookSecret = "whsec_test_current_0123456789abcdef";
    public const string OldWebhookSecret = "whsec_test_previous_0123456789abcdef";
    public const string StripeProMonthly = FakeStripe.ProMonthly;
    public const string StripeLifetime = FakeStripe.Lifetime;
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
