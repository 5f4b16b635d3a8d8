using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>
/// Log hygiene over a realistic run: every log entry (all levels, with structured values, scopes and exceptions) of the
/// app while a person signs up, types card numbers into the simulator's hosted checkout, pays, tracks usage, and while
/// providers (and forgers) send webhooks — then the same with the Stripe adapter against a failing fake Stripe — and the
/// stdout/stderr of the real app process. No secret key, webhook secret, password or full card number may appear.
/// </summary>
public sealed partial class LogScanTests : IAsyncLifetime
{
    private const string StripeKey = "sk_test_LOGSCANkey4Yq7Zr2Wx9Tb5Nm3";
    private const string StripeWebhookSecret = "whsec_LOGSCAN-stripe-8Kp2Vd6Rj1Hs4";
    private const string SimulatorWebhookSecret = "whsec_LOGSCAN-sim-3Fg7Lc9Qa2Ue6";
    private const string Password = "pw-LOGSCAN-long-enough-1";
    private const string GoodCard = "4242 4242 4242 4242";
    private const string RealLookingCard = "5555 5555 5555 4444";

    private readonly RecordingLoggerProvider _recorder = new();
    private readonly PostgresTestDatabase _simulatorDatabase = new();
    private readonly PostgresTestDatabase _stripeDatabase = new();
    private WebApplication? _fakeStripe;
    private readonly List<string> _stripeAuthorizations = [];

    public async Task InitializeAsync()
    {
        await _simulatorDatabase.InitializeAsync();
        await _stripeDatabase.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _fakeStripe = builder.Build();
        _fakeStripe.Map("/{**path}", async (HttpContext context) =>
        {
            lock (_stripeAuthorizations)
            {
                _stripeAuthorizations.Add(context.Request.Headers.Authorization.ToString());
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.Headers["Request-Id"] = "req_logscan";
            await context.Response.WriteAsJsonAsync(new { error = new { type = "api_error", message = "Something went wrong on Stripe's end." } });
        });
        await _fakeStripe.StartAsync();
    }

    [Fact]
    public async Task WholeRun_LogsAndProcessOutput_HoldNoSecretPasswordOrCardNumber()
    {
        await RunSimulatorScenarioAsync();
        await RunStripeScenarioAsync();
        var processOutput = await RunRealProcessAsync();

        var entries = _recorder.Entries.ToList();
        Assert.True(entries.Count > 200, $"only {entries.Count} log entries were recorded: the scan would prove little");
        Assert.Contains(entries, e => e.Contains("/webhooks/inmemory", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("/webhooks/stripe", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("/_simulator/checkout/", StringComparison.Ordinal));
        lock (_stripeAuthorizations)
        {
            Assert.Contains(_stripeAuthorizations, a => a.Contains(StripeKey, StringComparison.Ordinal));
        }

        var leaks = entries.SelectMany(e => Leaks(e).Select(l => $"log: {l} in: {Shorten(e)}")).ToList();
        leaks.AddRange(Leaks(processOutput).Select(l => $"process output: {l}"));
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks.Take(20)));
    }

    [Theory]
    [InlineData("card 4242424242424242 typed", true)]
    [InlineData("card 4242 4242 4242 4242 typed", true)]
    [InlineData("card 5555-5555-5555-4444 typed", true)]
    [InlineData("card 4242 4242 4242 4241 typed", false)]
    [InlineData("last four 4242, account 6f1c2d3e-1111-2222-3333-444455556666", false)]
    [InlineData("at 1763830000000 ms", false)]
    [InlineData("key sk_test_LOGSCANkey4Yq7Zr2Wx9Tb5Nm3", true)]
    [InlineData("masked key sk_test_****Nm3", false)]
    public void Scanner_FindsFullCardNumbersAndSecrets_NotLookalikes(string text, bool leaks) =>
        Assert.Equal(leaks, Leaks(text).Any());

    private async Task RunSimulatorScenarioAsync()
    {
        await using var factory = WithRecorder(new MonolithWebFactory(_simulatorDatabase, settings: Settings(new()
        {
            ["Payments:InMemory:WebhookSecret"] = SimulatorWebhookSecret,
            // Configured but inactive: a leak of inactive settings counts too.
            ["Payments:Stripe:SecretKey"] = StripeKey,
            ["Payments:Stripe:WebhookSecrets:0"] = StripeWebhookSecret,
        })));
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = factory.ClientOptions.BaseAddress };

        await RegisterAsync(client);
        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var page = new Uri((await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!).PathAndQuery;
        var refused = await HttpForms.SubmitAsync(client, $"{page}?handler=Pay", new() { ["CardNumber"] = RealLookingCard });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Use one of the test cards", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var paid = await HttpForms.SubmitAsync(client, $"{page}?handler=Pay", new() { ["CardNumber"] = GoodCard });
        Assert.True(paid.StatusCode == HttpStatusCode.Redirect, Regex.Match(await paid.Content.ReadAsStringAsync(), "<main.*", RegexOptions.Singleline).Value);
        await WaitForAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray()
            .Any(s => s.GetProperty("status").GetString() == "active"));

        for (var i = 0; i < 3; i++)
        {
            var usage = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage") { Content = JsonContent.Create(new { featureId = "api-calls", quantity = 5 }) };
            usage.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(usage)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly", successUrl = "https://evil.example" })).StatusCode);
        await PostWebhooksAsync(client, "inmemory", "Simulator-Signature", SimulatorWebhookSecret);
    }

    private async Task RunStripeScenarioAsync()
    {
        await using var factory = WithRecorder(new MonolithWebFactory(_stripeDatabase, settings: Settings(new()
        {
            ["Payments:Provider"] = "Stripe",
            ["Payments:Stripe:SecretKey"] = StripeKey,
            ["Payments:Stripe:WebhookSecrets:0"] = StripeWebhookSecret,
            ["Payments:Stripe:ApiBase"] = _fakeStripe!.Urls.First(),
            ["Payments:Stripe:MaxRetries"] = "1",
            ["Billing:Plans:1:Prices:0:ProviderPriceIds:stripe"] = "price_logscan_pro_monthly",
        })));
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await RegisterAsync(client);

        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });

        Assert.Equal(HttpStatusCode.BadGateway, checkout.StatusCode);
        await PostWebhooksAsync(client, "stripe", "Stripe-Signature", StripeWebhookSecret);
    }

    private async Task<string> RunRealProcessAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Database__MigrateOnStartup"] = "true",
            ["Payments__Provider"] = "Stripe",
            ["Payments__Stripe__SecretKey"] = StripeKey,
            ["Payments__Stripe__WebhookSecrets__0"] = StripeWebhookSecret,
            ["Payments__Stripe__ApiBase"] = _fakeStripe!.Urls.First(),
            ["Payments__Stripe__MaxRetries"] = "0",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
        };
        var doctor = await AppProcess.RunAsync("doctor", environment);
        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("doctor:", doctor.Output, StringComparison.Ordinal);

        // A configuration error names the setting, never its neighbours' values.
        environment.Remove("Payments__Stripe__WebhookSecrets__0");
        var misconfigured = await AppProcess.RunAsync("--urls http://127.0.0.1:0", environment);
        Assert.Equal(2, misconfigured.ExitCode);
        Assert.Contains("WebhookSecrets", misconfigured.Output, StringComparison.Ordinal);
        return doctor.Output + Environment.NewLine + misconfigured.Output;
    }

    /// <summary>A valid event, its replay, a forged one, and a correctly signed body that carries a card number.</summary>
    private static async Task PostWebhooksAsync(HttpClient client, string provider, string header, string secret)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = JsonSerializer.Serialize(new
        {
            id = $"evt_{Guid.NewGuid():N}", @object = "event", type = "customer.tax_id.created", created = now.ToUnixTimeSeconds(),
            data = new { occurred_at = now, @object = new { id = "txi_1", note = "card 4000 0566 5566 5556" } },
        });
        foreach (var (body, signature, expected) in new[]
                 {
                     (valid, Sign(valid, secret), HttpStatusCode.OK),
                     (valid, Sign(valid, secret), HttpStatusCode.OK),
                     (valid, Sign(valid, "whsec_forged_by_someone_else"), HttpStatusCode.BadRequest),
                     ("card=4242424242424242", Sign("card=4242424242424242", secret), HttpStatusCode.BadRequest),
                 })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{provider}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation(header, signature);
            Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
        }
    }

    private static IEnumerable<string> Leaks(string text)
    {
        foreach (var secret in new[] { "LOGSCAN", StripeKey, StripeWebhookSecret, SimulatorWebhookSecret, Password })
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                yield return $"secret '{secret[..Math.Min(12, secret.Length)]}…'";
            }
        }

        foreach (Match match in CardCandidate().Matches(text))
        {
            var digits = new string(match.Value.Where(char.IsAsciiDigit).ToArray());
            if (digits[0] is >= '3' and <= '6' && Luhn(digits))
            {
                yield return $"card number {digits[..6]}…{digits[^4..]}";
            }
        }
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>13–19 digits in a row (not part of a longer word or id), or four groups of four split by spaces or dashes.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z_-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4})(?![0-9A-Za-z_-])")]
    private static partial Regex CardCandidate();

    private WebApplicationFactory<Program> WithRecorder(MonolithWebFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(_recorder);
            logging.SetMinimumLevel(LogLevel.Trace);
        }));

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
        return settings;
    }

    private static async Task RegisterAsync(HttpClient client)
    {
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"scan-{Guid.NewGuid():N}@example.test", ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password,
        });
        Assert.True(registered.StatusCode == HttpStatusCode.Redirect,
            Regex.Match(await registered.Content.ReadAsStringAsync(), "<main.*</main>", RegexOptions.Singleline).Value);
    }

    private static string Sign(string body, string secret)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")))}";
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the subscription did not become active in time");
            await Task.Delay(50);
        }
    }

    private static string Shorten(string entry) => entry.Length > 400 ? entry[..400] + "…" : entry;

    public async Task DisposeAsync()
    {
        if (_fakeStripe is not null)
        {
            await _fakeStripe.DisposeAsync();
        }

        await _simulatorDatabase.DisposeAsync();
        await _stripeDatabase.DisposeAsync();
    }
}
