using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Webhooks.HandlePaymentWebhook;
using Monolith.Application.Common;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Webhooks;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.UseCases;

/// <summary>The inbox path after signature verification: record once, apply, commit — on PostgreSQL and SQLite.</summary>
public abstract class HandlePaymentWebhookTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    protected ApplicationHost Host { get; private set; } = null!;

    protected TDatabase Database { get; } = database;

    public Task InitializeAsync()
    {
        Host = new ApplicationHost(Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task Handle_CheckoutAndSubscription_AppliesAndRecordsTheInboxRow()
    {
        var accountId = await OpenAccountAsync();
        var subscriptionId = $"sub_{Guid.NewGuid():N}";

        var result = await Host.SendAsync(Webhook($"evt_{Guid.NewGuid():N}", "checkout.session.completed",
            Checkout(accountId, subscriptionId), Changed(subscriptionId, accountId, SubscriptionStatus.Active)));

        Assert.Equal(WebhookEventStatus.Applied, result.Value.Status);
        Assert.False(result.Value.Duplicate);
        var subscription = await Host.QueryDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.ProviderSubscriptionId == subscriptionId));
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(accountId, subscription.BillingAccountId);
        Assert.True(await Host.QueryDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Payload.Contains(subscription.Id.ToString()))));
    }

    [Fact]
    public async Task Handle_SameEventTwice_AppliesOnceAndReportsTheDuplicate()
    {
        var accountId = await OpenAccountAsync();
        var subscriptionId = $"sub_{Guid.NewGuid():N}";
        var command = Webhook($"evt_{Guid.NewGuid():N}", "checkout.session.completed",
            Checkout(accountId, subscriptionId), Changed(subscriptionId, accountId, SubscriptionStatus.Active));

        var first = await Host.SendAsync(command);
        var outboxAfterFirst = await Host.QueryDbAsync(db => db.OutboxMessages.CountAsync());
        var second = await Host.SendAsync(command);

        Assert.True(second.Value.Duplicate);
        Assert.Equal(first.Value.WebhookEventId, second.Value.WebhookEventId);
        Assert.Equal(outboxAfterFirst, await Host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(1, await Host.QueryDbAsync(db => db.WebhookEvents.CountAsync(e => e.ProviderEventId == command.Webhook.EventId)));
    }

    [Fact]
    public async Task Handle_UnknownEventType_IsRecordedAsIgnored()
    {
        var result = await Host.SendAsync(Webhook($"evt_{Guid.NewGuid():N}", "customer.tax_id.created"));

        Assert.Equal(WebhookEventStatus.Ignored, result.Value.Status);
        Assert.Contains("not handled", result.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_SubscriptionBeforeItsCheckout_IsParkedThenAppliedWhenTheLinkArrives()
    {
        var accountId = await OpenAccountAsync();
        var subscriptionId = $"sub_{Guid.NewGuid():N}";
        var customerId = $"cus_{accountId:N}";

        // As the providers' normalizers do, the normalized event carries the webhook's own event id.
        var changed = Changed(subscriptionId, metadataAccountId: null, SubscriptionStatus.Active, customerId);
        var early = await Host.SendAsync(Webhook(changed.ProviderEventId, "customer.subscription.created", changed));
        var link = await Host.SendAsync(Webhook($"evt_{Guid.NewGuid():N}", "checkout.session.completed", Checkout(accountId, subscriptionId, customerId)));

        Assert.Equal(WebhookEventStatus.Parked, early.Value.Status);
        Assert.Equal(WebhookEventStatus.Applied, link.Value.Status);
        var subscription = await Host.QueryDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.ProviderSubscriptionId == subscriptionId));
        Assert.Equal(accountId, subscription.BillingAccountId);
        // The parked event's inbox row follows its replay: applied, no longer parked.
        var earlyRow = await Host.QueryDbAsync(db => db.WebhookEvents.AsNoTracking().SingleAsync(e => e.Id == early.Value.WebhookEventId));
        Assert.Equal(WebhookEventStatus.Applied, earlyRow.Status);
    }

    private Task<Guid> OpenAccountAsync() => Host.QueryDbAsync(async db =>
    {
        var owner = await Host.RegisterAsync();
        var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value;
        db.BillingAccounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    });

    protected static HandlePaymentWebhookCommand Webhook(string eventId, string type, params ProviderEvent[] events) =>
        new("inmemory", new ParsedWebhook(eventId, type, DateTimeOffset.UtcNow, events), $$"""{"id":"{{eventId}}","type":"{{type}}"}""");

    protected static CheckoutCompleted Checkout(Guid accountId, string subscriptionId, string? customerId = null) =>
        new("inmemory", $"evt_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, $"cs_{Guid.NewGuid():N}", customerId ?? $"cus_{accountId:N}",
            accountId, CheckoutMode.Subscription, subscriptionId);

    protected static SubscriptionChanged Changed(string subscriptionId, Guid? metadataAccountId, SubscriptionStatus status, string? customerId = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new SubscriptionChanged("inmemory", $"evt_{Guid.NewGuid():N}", now, customerId ?? $"cus_{metadataAccountId:N}", metadataAccountId,
            new SubscriptionSnapshot(subscriptionId, status, "pro-monthly", "pro", 1, now.AddDays(-1), now.AddDays(29), null, false, null, null, now));
    }
}

public sealed class PostgresHandlePaymentWebhookTests(PostgresTestDatabase database) : HandlePaymentWebhookTests<PostgresTestDatabase>(database)
{
    [Fact]
    public async Task Handle_ConcurrentDeliveriesOfOneEvent_KeepOneInboxRow()
    {
        var command = Webhook($"evt_{Guid.NewGuid():N}", "customer.tax_id.created");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Host.SendAsync(command))));

        Assert.Equal(1, await Host.QueryDbAsync(db => db.WebhookEvents.CountAsync(e => e.ProviderEventId == command.Webhook.EventId)));
        Assert.Single(results, r => r.IsSuccess && !r.Value.Duplicate);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal(CommonErrors.DuplicateConflict, r.Error));
    }
}

public sealed class SqliteHandlePaymentWebhookTests(SqliteTestDatabase database) : HandlePaymentWebhookTests<SqliteTestDatabase>(database);
