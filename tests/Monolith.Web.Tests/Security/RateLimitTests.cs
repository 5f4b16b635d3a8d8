using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.TestSupport;
using Monolith.Web.Common;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>The app with tiny budgets (checkout 2, usage 3 per minute), so the limiter's answers can be read back.</summary>
public sealed class RateLimitedHostFixture : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    public MonolithWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?>
        {
            ["RateLimits:Checkout:PermitLimit"] = "2",
            ["RateLimits:Checkout:Window"] = "00:10:00",
            ["RateLimits:Usage:PermitLimit"] = "3",
            ["RateLimits:Usage:Window"] = "00:10:00",
        });
        _ = Factory.Server;
    }

    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class RateLimitTests(RateLimitedHostFixture host) : IClassFixture<RateLimitedHostFixture>
{
    [Fact]
    public async Task Checkout_OverTheBudget_Is429RateLimitedWithRetryAfter_AndOtherCallersAreUnaffected()
    {
        var (caller, _) = await RegisterAsync();
        var (other, _) = await RegisterAsync();

        var allowed = new[] { await CheckoutAsync(caller), await CheckoutAsync(caller) };
        var refused = await CheckoutAsync(caller);
        var fromThePricingPage = await HttpForms.SubmitAsync(caller, "/pricing?handler=Checkout", new() { ["priceId"] = "team-monthly" });
        var someoneElse = await CheckoutAsync(other);

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertRateLimitedAsync(refused);
        await AssertRateLimitedAsync(fromThePricingPage);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
        // Reads are never limited.
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/pricing")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/billing/subscriptions")).StatusCode);
    }

    [Fact]
    public async Task Checkout_BudgetIsPerOrganization_ForOneUser()
    {
        var (caller, _) = await RegisterAsync();
        var created = await caller.PostAsJsonAsync("/api/organizations", new { name = "Second org" });
        var second = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("organizationId").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await CheckoutAsync(caller)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CheckoutAsync(caller)).StatusCode);
        await AssertRateLimitedAsync(await CheckoutAsync(caller));

        Assert.Equal(HttpStatusCode.OK, (await CheckoutAsync(caller, second)).StatusCode);
    }

    [Fact]
    public async Task Usage_OverTheBudget_Is429AndTheRefusedCallIsNotRecorded()
    {
        var (caller, _) = await RegisterAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TrackAsync(caller)).StatusCode);
        }

        var refused = await TrackAsync(caller);

        await AssertRateLimitedAsync(refused);
        var balances = await caller.GetFromJsonAsync<JsonElement>("/api/billing/balances");
        Assert.Equal(3, balances.EnumerateArray().Single(b => b.GetProperty("featureId").GetString() == "api-calls").GetProperty("used").GetInt64());
    }

    [Fact]
    public void Options_DefaultsAreWideEnoughForPeopleAndTheValidatorRefusesNonsense()
    {
        var defaults = new RateLimitOptions();
        Assert.True(defaults.Checkout.PermitLimit >= 10);
        Assert.True(defaults.Usage.PermitLimit >= 100);
        Assert.True(new RateLimitOptionsValidator().Validate(null, defaults).Succeeded);

        var broken = new RateLimitOptions { Checkout = new RateLimitWindow { PermitLimit = 0, Window = TimeSpan.FromMinutes(1) } };
        var result = new RateLimitOptionsValidator().Validate(null, broken);
        Assert.True(result.Failed);
        Assert.Contains("RateLimits:Checkout:PermitLimit", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithAZeroCheckoutLimit_ExitsNamingTheSetting()
    {
        var (exitCode, output) = await AppProcess.RunAsync("--urls http://127.0.0.1:0", new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["RateLimits__Checkout__PermitLimit"] = "0",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("RateLimits:Checkout:PermitLimit", output, StringComparison.Ordinal);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 600);
    }

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient client, Guid? organizationId = null) =>
        client.PostAsJsonAsync(organizationId is null ? "/api/billing/checkout" : $"/api/billing/checkout?organizationId={organizationId}", new { priceId = "pro-monthly" });

    private static Task<HttpResponseMessage> TrackAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage") { Content = JsonContent.Create(new { featureId = "api-calls", quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private async Task<(HttpClient Client, string Email)> RegisterAsync()
    {
        var client = host.CreateClient();
        var email = $"limit-{Guid.NewGuid():N}@example.test";
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        return (client, email);
    }
}

/// <summary><c>Retry-After</c> is the time left in the caller's window, read on a clock the test moves (no waiting).</summary>
public sealed class RetryAfterTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly ManualClock _clock = new();
    private MonolithWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?>
        {
            ["RateLimits:Usage:PermitLimit"] = "3",
            ["RateLimits:Usage:Window"] = "00:10:00",
        })
        {
            TestServices = services => services.AddKeyedSingleton<TimeProvider>(RateLimits.ClockKey, _clock),
        };
        _ = _factory.Server;
    }

    [Fact]
    public async Task RetryAfter_LateInTheWindow_IsTheSecondsLeftUntilPermitsReturn()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"retry-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TrackAsync(client)).StatusCode);
        }

        _clock.Advance(TimeSpan.FromSeconds(450));
        var late = await TrackAsync(client);
        _clock.Advance(TimeSpan.FromSeconds(149.5));
        var last = await TrackAsync(client);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        var next = await TrackAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, late.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(150), late.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), last.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static Task<HttpResponseMessage> TrackAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/usage") { Content = JsonContent.Create(new { featureId = "api-calls", quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
