using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;
using static Monolith.Web.Tests.Common.Poll;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// Managing a subscription end to end: the app on Kestrel, the simulator delivering signed webhooks to it, and every
/// expectation read back through the JSON API once the provider's confirming events have been applied.
/// </summary>
public sealed class SubscriptionManagementTests : IAsyncLifetime
{
    private const string GoodCard = "4242424242424242";
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _factory = null!;
    private Uri _baseAddress = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database);
        _baseAddress = _factory.StartKestrel();
    }

    [Fact]
    public async Task ChangePlan_UpgradeToTeamWithThreeSeats_MovesThePlanAndGrantsSso()
    {
        var client = await RegisterAsync();
        var subscriptionId = await SubscribeToProAsync(client);
        Assert.False(await IsAllowedAsync(client, "sso"));

        var response = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/change", new { priceId = "team-monthly", quantity = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upgrade_now", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("change").GetString());
        var team = await WaitForAsync("the subscription to show plan team with 3 seats", async () =>
        {
            var subscription = await OnlySubscriptionAsync(client);
            return subscription.GetProperty("planId").GetString() == "team" && subscription.GetProperty("quantity").GetInt32() == 3 ? (JsonElement?)subscription : null;
        });
        Assert.Equal("team-monthly", team.GetProperty("priceId").GetString());
        await WaitForAsync("sso to be allowed", async () => await IsAllowedAsync(client, "sso") ? true : (bool?)null);
    }

    [Fact]
    public async Task ChangePlan_UpgradeWithADecliningCard_IsRefusedAndGrantsNothing()
    {
        var client = await RegisterAsync();
        var subscriptionId = await SubscribeToProAsync(client);
        var organizationId = await PersonalOrganizationAsync(client);
        var customerId = await QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId)
            .SelectMany(a => a.Customers).Select(c => c.CustomerId).SingleAsync());
        Assert.True(Simulator.SetDefaultCardOutcome(customerId, CardOutcome.Declined).IsSuccess);

        var response = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/change", new { priceId = "team-monthly", quantity = 3 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("billing.provider.card_declined", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // Nothing is expected to arrive; keep observing for a short while that nothing does.
        var until = DateTimeOffset.UtcNow.AddSeconds(2);
        while (DateTimeOffset.UtcNow < until)
        {
            var subscription = await OnlySubscriptionAsync(client);
            Assert.Equal("pro", subscription.GetProperty("planId").GetString());
            Assert.Equal(1, subscription.GetProperty("quantity").GetInt32());
            Assert.False(await IsAllowedAsync(client, "sso"));
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("team-monthly")]
    [InlineData("pro-yearly")]
    [InlineData("pro-monthly")]
    public async Task Checkout_BasePlanWhileSubscribed_Is409AlreadySubscribedWithTheCurrentSubscription(string priceId)
    {
        var client = await RegisterAsync();
        var subscriptionId = await SubscribeToProAsync(client);
        var sessionsBefore = await SessionCountAsync(subscriptionId);

        var response = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("billing.checkout.already_subscribed", problem.GetProperty("code").GetString());
        var current = problem.GetProperty("currentSubscription");
        Assert.Equal(subscriptionId, current.GetProperty("id").GetGuid());
        Assert.Equal("pro", current.GetProperty("planId").GetString());
        Assert.Equal("active", current.GetProperty("status").GetString());
        Assert.Equal(sessionsBefore, await SessionCountAsync(subscriptionId));
    }

    private Task<int> SessionCountAsync(Guid subscriptionId) =>
        QueryAsync(db => db.CheckoutSessions.AsNoTracking()
            .CountAsync(c => db.Subscriptions.Any(s => s.Id == subscriptionId && s.BillingAccountId == c.BillingAccountId)));

    [Fact]
    public async Task Checkout_AddOnWhileSubscribed_CoexistsWithTheBasePlan()
    {
        var client = await RegisterAsync();
        await SubscribeToProAsync(client);

        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "priority-support-monthly" });

        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Assert.Equal(CheckoutAttemptOutcome.Completed, Simulator.SubmitCard(SessionIdOf(await checkout.Content.ReadFromJsonAsync<JsonElement>()), GoodCard).Outcome);
        await WaitForAsync("both subscriptions to be active", async () =>
        {
            var rows = (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().ToList();
            return rows.Count == 2 && rows.All(r => r.GetProperty("status").GetString() == "active") ? true : (bool?)null;
        });
        await WaitForAsync("priority-support to be allowed", async () => await IsAllowedAsync(client, "priority-support") ? true : (bool?)null);
        Assert.True(await IsAllowedAsync(client, "reports"));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "team-monthly" })).StatusCode);
    }

    [Fact]
    public async Task PauseCollection_InTheSimulator_IsPausedWithoutPaidAccessUntilResumed()
    {
        var client = await RegisterAsync();
        var subscriptionId = await SubscribeToProAsync(client);
        var providerId = await QueryAsync(db => db.Subscriptions.AsNoTracking().Where(s => s.Id == subscriptionId).Select(s => s.ProviderSubscriptionId).SingleAsync());
        await WaitForAsync("reports to be allowed", async () => await IsAllowedAsync(client, "reports") ? true : (bool?)null);

        Assert.True(Simulator.PauseCollection(providerId, paused: true).IsSuccess);

        await WaitForAsync("the subscription to be paused", async () =>
            (await OnlySubscriptionAsync(client)).GetProperty("status").GetString() == "paused" ? true : (bool?)null);
        await WaitForAsync("reports to be denied", async () => await IsAllowedAsync(client, "reports") ? null : (bool?)true);

        Assert.True(Simulator.PauseCollection(providerId, paused: false).IsSuccess);

        await WaitForAsync("the subscription to be active again", async () =>
            (await OnlySubscriptionAsync(client)).GetProperty("status").GetString() == "active" ? true : (bool?)null);
        await WaitForAsync("reports to be allowed again", async () => await IsAllowedAsync(client, "reports") ? true : (bool?)null);
    }

    [Fact]
    public async Task Checkout_OneTimeProductAlreadyOwned_Is409AlreadyOwned()
    {
        var client = await RegisterAsync();
        await BuyLifetimeReportAsync(client);

        var again = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "lifetime-report" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("billing.checkout.already_owned", problem.GetProperty("code").GetString());
        Assert.Equal("lifetime-report", problem.GetProperty("planId").GetString());
    }

    [Fact]
    public async Task Checkout_OneTimeProductMarkedRepeatable_IsSoldAgain()
    {
        await using var repeatable = new MonolithWebFactory(_database, settings: new Dictionary<string, string?> { ["Billing:Plans:3:Repeatable"] = "true" });
        var baseAddress = repeatable.StartKestrel();
        var client = await RegisterAsync(repeatable, baseAddress);
        var simulator = repeatable.Services.GetRequiredService<SimulatorState>();
        await BuyLifetimeReportAsync(client, simulator);

        var again = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "lifetime-report" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(CheckoutAttemptOutcome.Completed, simulator.SubmitCard(SessionIdOf(await again.Content.ReadFromJsonAsync<JsonElement>()), GoodCard).Outcome);
    }

    [Fact]
    public async Task Resume_AfterCancelAtPeriodEnd_ClearsCancelAtPeriodEnd()
    {
        var client = await RegisterAsync();
        var subscriptionId = await SubscribeToProAsync(client);

        var cancel = await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscriptionId}/cancel", new { atPeriodEnd = true });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await WaitForAsync("cancelAtPeriodEnd to become true", async () =>
            (await OnlySubscriptionAsync(client)).GetProperty("cancelAtPeriodEnd").GetBoolean() ? true : (bool?)null);

        var resume = await client.PostAsync($"/api/billing/subscriptions/{subscriptionId}/resume", null);

        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var resumed = await WaitForAsync("cancelAtPeriodEnd to become false again", async () =>
        {
            var subscription = await OnlySubscriptionAsync(client);
            return subscription.GetProperty("cancelAtPeriodEnd").GetBoolean() ? null : (JsonElement?)subscription;
        });
        Assert.Equal("active", resumed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Portal_ForASubscriber_ReturnsASimulatorPortalUrl()
    {
        var client = await RegisterAsync();
        await SubscribeToProAsync(client);

        var response = await client.PostAsJsonAsync("/api/billing/portal", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        Assert.Contains("/_simulator/portal/", url, StringComparison.Ordinal);
        var portal = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
    }

    [Fact]
    public async Task Portal_ForANewUserWithoutACustomer_Is404NoCustomer()
    {
        var client = await RegisterAsync();

        var response = await client.PostAsJsonAsync("/api/billing/portal", new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("billing.portal.no_customer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private SimulatorState Simulator => _factory.Services.GetRequiredService<SimulatorState>();

    private async Task BuyLifetimeReportAsync(HttpClient client, SimulatorState? simulator = null)
    {
        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "lifetime-report" });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Assert.Equal(CheckoutAttemptOutcome.Completed, (simulator ?? Simulator).SubmitCard(SessionIdOf(await checkout.Content.ReadFromJsonAsync<JsonElement>()), GoodCard).Outcome);
        await WaitForAsync("lifetime-report to be allowed", async () => await IsAllowedAsync(client, "lifetime-report") ? true : (bool?)null);
    }

    private Task<HttpClient> RegisterAsync() => RegisterAsync(_factory, _baseAddress);

    private static async Task<HttpClient> RegisterAsync(MonolithWebFactory factory, Uri baseAddress)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = baseAddress });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"manage-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect, $"Registration failed with {(int)registered.StatusCode}.");
        return client;
    }

    private async Task<Guid> SubscribeToProAsync(HttpClient client)
    {
        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Assert.Equal(CheckoutAttemptOutcome.Completed, Simulator.SubmitCard(SessionIdOf(await checkout.Content.ReadFromJsonAsync<JsonElement>()), GoodCard).Outcome);
        var subscription = await WaitForAsync("the pro subscription to be active", async () =>
        {
            var rows = (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().ToList();
            return rows.Count == 1 && rows[0].GetProperty("status").GetString() == "active" ? (JsonElement?)rows[0] : null;
        });
        Assert.Equal("pro", subscription.GetProperty("planId").GetString());
        return Guid.Parse(subscription.GetProperty("subscriptionId").GetString()!);
    }

    private static string SessionIdOf(JsonElement checkout) => checkout.GetProperty("url").GetString()!.TrimEnd('/').Split('/')[^1];

    private static async Task<JsonElement> OnlySubscriptionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().Single();

    private static async Task<bool> IsAllowedAsync(HttpClient client, string featureId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/billing/entitlements/{featureId}")).GetProperty("allowed").GetBoolean();

    private static async Task<Guid> PersonalOrganizationAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
        .Where(o => o.GetProperty("isPersonal").GetBoolean()).Select(o => Guid.Parse(o.GetProperty("organizationId").GetString()!)).Single();

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }


    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
