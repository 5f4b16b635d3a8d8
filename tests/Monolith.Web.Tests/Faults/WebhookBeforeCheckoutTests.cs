using System.Text.Json;
using System.Text.Json.Nodes;
using Monolith.TestSupport;
using Monolith.TestSupport.Storm;

namespace Monolith.Web.Tests.Faults;

/// <summary>
/// Fault: Stripe delivers a customer's subscription and invoice events before the <c>checkout.session.completed</c>
/// that links the customer to a billing account (Stripe does not order deliveries). Over HTTP to the real app process:
/// the early events are acknowledged (200) and parked, nothing is attributed to a guess; once the checkout completion
/// arrives, the parked events are replayed and the account ends exactly as its history says. The use-case level
/// versions are HandlePaymentWebhookTests.Handle_SubscriptionBeforeItsCheckout_IsParkedThenAppliedWhenTheLinkArrives
/// and ProviderEventApplierConvergenceTests.Apply_SubscriptionBeforeCheckout_ParksThenAttachesToTheCheckoutAccount.
/// </summary>
public sealed class WebhookBeforeCheckoutTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly StripeStorm _storm = StripeStorm.Create(new StormOptions(Accounts: 1, EventsPerAccount: 6, Duplicates: 0, Reorder: 0, OneTimePayments: 0));
    private AppServer _app = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = await AppServer.StartAsync(StormDatabase.AppEnvironment(_database.ConnectionString, $"http://127.0.0.1:{AppServer.FreePort()}"));
        // The organisation and billing account exist (the user started a checkout), but no Stripe customer is linked yet.
        await StormDatabase.SeedAsync(_database.ConnectionString, _storm.Accounts, linkCustomers: false);
    }

    [Fact]
    public async Task Webhooks_BeforeTheCheckoutCompletion_AreParkedThenAppliedOnceTheLinkExists()
    {
        var account = _storm.Accounts.Single();
        // Without the account id in the metadata only the (not yet linked) customer names the account.
        var early = account.Events.Select(WithoutAccountMetadata).ToList();
        using var sender = new StormSender(_app.BaseAddress, StormDatabase.WebhookSecret, concurrency: 1);

        var before = await sender.SendAsync(early, TimeSpan.FromSeconds(30));

        Assert.Equal(early.Count, before.Delivered);
        Assert.Equal(0, before.Rejected);
        Assert.True(await StormDatabase.WaitForInboxAsync(_database.ConnectionString, TimeSpan.FromSeconds(30)), "the received webhooks were not applied");
        Assert.Equal(early.Count, await CountAsync("SELECT count(*) FROM billing_webhook_events WHERE status = 'Parked'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM billing_subscriptions"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM billing_invoices"));

        var completion = CheckoutCompleted(account, $"evt_checkout_{Guid.NewGuid():N}", early.Max(e => e.Created) + 60);
        var after = await sender.SendAsync([completion], TimeSpan.FromSeconds(30));

        Assert.Equal(1, after.Delivered);
        Assert.Equal(0, after.Rejected);
        Assert.True(await StormDatabase.WaitForInboxAsync(_database.ConnectionString, TimeSpan.FromSeconds(30)), "the completion was not applied");
        Assert.Equal(1, await CountAsync(
            $"SELECT count(*) FROM billing_provider_customers WHERE provider = 'stripe' AND customer_id = '{account.CustomerId}' AND billing_account_id = '{account.BillingAccountId}'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM billing_pending_provider_events"));
        // The inbox holds one event more than the storm's history (the completion); every row left Parked when its
        // replay applied it.
        var violations = (await StormDatabase.VerifyAsync(_database.ConnectionString, _storm))
            .Where(v => !v.StartsWith("inbox rows:", StringComparison.Ordinal)).ToList();
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM billing_webhook_events WHERE status NOT IN ('Applied', 'Ignored')"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.Equal(early.Count + 1, await CountAsync("SELECT count(*) FROM billing_webhook_events"));
    }

    private Task<long> CountAsync(string sql) => StormDatabase.ScalarAsync(_database.ConnectionString, sql);

    private static StormEvent WithoutAccountMetadata(StormEvent e)
    {
        var envelope = JsonNode.Parse(e.Body)!.AsObject();
        envelope["data"]!["object"]!["metadata"] = new JsonObject();
        return e with { Body = JsonSerializer.SerializeToUtf8Bytes(envelope) };
    }

    /// <summary><c>checkout.session.completed</c> from Stripe's example session: subscription mode, this account and customer.</summary>
    private static StormEvent CheckoutCompleted(StormAccount account, string eventId, long created)
    {
        var session = JsonNode.Parse(File.ReadAllBytes(StripeStorm.FixturesPath()))!["resources"]!["checkout.session"]!.DeepClone().AsObject();
        session["id"] = $"cs_test_{Guid.NewGuid():N}";
        session["mode"] = "subscription";
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["client_reference_id"] = account.BillingAccountId.ToString();
        session["customer"] = account.CustomerId;
        session["subscription"] = account.SubscriptionId;
        session["payment_intent"] = null;
        session["metadata"] = new JsonObject { ["billing_account_id"] = account.BillingAccountId.ToString() };
        var envelope = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = "2025-03-31.basil",
            ["created"] = created,
            ["type"] = "checkout.session.completed",
            ["data"] = new JsonObject { ["object"] = session },
        };
        return new StormEvent(eventId, "checkout.session.completed", created, JsonSerializer.SerializeToUtf8Bytes(envelope), 0);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
