using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.TestSupport.Billing;
using Monolith.TestSupport.Stripe;
using Monolith.Web.Tests.Common;
using static Monolith.Web.Tests.Common.Poll;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary>
/// The real app (PostgreSQL, <c>Payments:Provider=Stripe</c>) with its Stripe adapter pointed at a <see cref="FakeStripe"/>
/// on 127.0.0.1. Webhooks are delivered by the test, signed like Stripe signs them, from the events the fake queued.
/// </summary>
public sealed class StripeWebApp : IAsyncLifetime
{
    public const string SecretKey = "sk_test_web_fake_key_0123456789";
    public const string WebhookSecret = "whsec_test_web_0123456789abcdef";

    /// <summary>Attempts per Stripe call: the first plus <c>Payments:Stripe:MaxRetries</c> (2 in <see cref="FakeStripe.AppSettings"/>).</summary>
    public const int Attempts = 3;

    private readonly PostgresTestDatabase _database = new();
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    public StripeWebApp()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="extraSettings">Settings on top of the fake Stripe's (e.g. <c>Webhooks:Processing</c>).</param>
    internal StripeWebApp(IReadOnlyDictionary<string, string?> extraSettings) => _extraSettings = extraSettings;

    public FakeStripe Stripe { get; private set; } = null!;

    public MonolithWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Stripe = await FakeStripe.StartAsync();
        var settings = new Dictionary<string, string?>(Stripe.AppSettings(SecretKey, WebhookSecret));
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }

        Factory = new MonolithWebFactory(_database, settings: settings);
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Stripe.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A new user (with a personal organisation), signed in.</summary>
    public async Task<HttpClient> RegisterAsync(string? email = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = email ?? $"stripe-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect, $"Registration failed with {(int)registered.StatusCode}.");
        return client;
    }

    /// <summary>The development ops user, signed in.</summary>
    public async Task<HttpClient> OpsAsync()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HttpForms.SignInAsync(client, Monolith.Infrastructure.Identity.DevelopmentAccounts.OpsEmail, Monolith.Infrastructure.Identity.DevelopmentAccounts.OpsPassword);
        return client;
    }

    public static async Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string priceId, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/checkout") { Content = JsonContent.Create(new { priceId }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Checkout through the API, the customer pays at the fake Stripe, every queued event is delivered; returns the app's subscription id.</summary>
    public async Task<Guid> SubscribeAsync(HttpClient client, string priceId, string planId)
    {
        var checkout = await CheckoutAsync(client, priceId);
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Stripe.CompleteCheckout(ProviderSessionId(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        await DeliverAsync(Stripe.TakeEvents());
        var subscription = await WaitForAsync($"the {planId} subscription to be active", async () =>
        {
            var rows = await SubscriptionsAsync(client);
            return rows.Count == 1 && rows[0].GetProperty("status").GetString() == "active" ? (JsonElement?)rows[0] : null;
        });
        Assert.Equal(planId, subscription.GetProperty("planId").GetString());
        return Guid.Parse(subscription.GetProperty("subscriptionId").GetString()!);
    }

    public static string ProviderSessionId(JsonElement checkout) => checkout.GetProperty("providerSessionId").GetString()!;

    /// <summary>
    /// POSTs each event, correctly signed, to /webhooks/stripe; each must be accepted (200). Returns the answers once
    /// the background applier has applied them (at once when <paramref name="waitUntilApplied"/> is false).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> DeliverAsync(IEnumerable<FakeStripeEvent> events, bool waitUntilApplied = true)
    {
        using var webhooks = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var answers = new List<JsonElement>();
        foreach (var e in events)
        {
            using var response = await StripeWebhookSigner.PostAsync(webhooks, e.Body, WebhookSecret);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{e.Type} {e.Id}: {(int)response.StatusCode} {body}");
            answers.Add(JsonDocument.Parse(body).RootElement.Clone());
        }

        if (waitUntilApplied)
        {
            await Factory.Services.WebhooksAppliedAsync();
        }

        return answers;
    }

    public static async Task<List<JsonElement>> SubscriptionsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().ToList();

    public static async Task<JsonElement> OnlySubscriptionAsync(HttpClient client) => Assert.Single(await SubscriptionsAsync(client));

    public static async Task<bool> IsAllowedAsync(HttpClient client, string featureId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/billing/entitlements/{featureId}")).GetProperty("allowed").GetBoolean();

    public static async Task<Guid> PersonalOrganizationAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
        .Where(o => o.GetProperty("isPersonal").GetBoolean()).Select(o => Guid.Parse(o.GetProperty("organizationId").GetString()!)).Single();

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task<Guid> BillingAccountIdAsync(Guid organizationId) =>
        QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId).Select(a => a.Id).SingleAsync());

    /// <summary>The fake Stripe's customers created for <paramref name="organizationId"/> (by the metadata the adapter sends).</summary>
    public string[] CustomersOf(Guid organizationId) =>
        Stripe.Customers().Where(c => c["metadata"]?["organization_id"]?.GetValue<string>() == organizationId.ToString())
            .Select(c => c["id"]!.GetValue<string>()).ToArray();

}
