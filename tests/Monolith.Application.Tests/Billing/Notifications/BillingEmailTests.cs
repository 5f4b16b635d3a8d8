using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Notifications.SendDunningReminderEmail;
using Monolith.Application.Billing.Notifications.SendPaymentFailedEmail;
using Monolith.Application.Billing.Notifications.SendReceiptEmail;
using Monolith.Application.Billing.Notifications.SendSubscriptionCanceledEmail;
using Monolith.Application.Billing.Notifications.SendTrialEndingEmail;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Subscriptions.RaiseDunningReminder;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Email;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.Notifications;

/// <summary>
/// The billing emails, end to end through the outbox with the default (pickup) sender: committed billing facts →
/// deliveries → handler → a message in the pickup folder, addressed to the organisation's owner, with absolute links.
/// </summary>
public abstract class BillingEmailTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private readonly string _mailFolder = Directory.CreateTempSubdirectory("monolith-mail-").FullName;
    private ApplicationHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(database, settings: new Dictionary<string, string?>
        {
            ["Outbox:Workers:Enabled"] = "false",
            ["Email:Pickup:Directory"] = _mailFolder,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_mailFolder, recursive: true);
    }

    private PickupMailbox Mailbox => _host.Services.GetRequiredService<PickupMailbox>();

    private List<PickedUpEmail> MailTo(string email) => Mailbox.List().Where(m => m.To == email).ToList();

    [Fact]
    public async Task CapturedPayment_WritesOneReceiptToTheOwner_EvenWhenTheDeliveryRunsAgain()
    {
        var (email, accountId) = await _host.OwnerWithAccountAsync($"cus_{Guid.NewGuid():N}");
        await _host.CapturedPaymentAsync(accountId, 4900, "EUR");

        await _host.Engine().DrainAsync(CancellationToken.None);

        var receipt = Assert.Single(MailTo(email));
        Assert.Equal("Receipt: 49.00 EUR paid", receipt.Subject);
        Assert.Equal("Monolith <no-reply@localhost>", receipt.From);
        Assert.Contains("We received your payment of 49.00 EUR", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{ApplicationHost.Origin.AbsoluteUri}billing", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ApplicationHost.Origin.AbsoluteUri}billing\"", receipt.HtmlBody, StringComparison.Ordinal);

        // The same delivery once more (as after a crash before anyone saw it succeed): the marker makes it a no-op.
        var delivery = await _host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking().SingleAsync(d =>
            d.Handler == SendReceiptEmailHandler.HandlerName && db.OutboxMessages.Any(m => m.Id == d.MessageId && m.Payload.Contains(accountId.ToString()))));
        Assert.Equal(OutboxDeliveryState.Succeeded, delivery.State);
        await _host.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, OutboxDeliveryState.Pending)));
        await _host.Engine().DrainAsync(CancellationToken.None);

        Assert.Single(MailTo(email));
    }

    [Fact]
    public async Task SubscriptionLifecycle_SendsTrialEndingDunningAndCanceledEmails()
    {
        var customer = $"cus_{Guid.NewGuid():N}";
        var subscription = $"sub_{Guid.NewGuid():N}";
        var (email, accountId) = await _host.OwnerWithAccountAsync(customer);
        var t0 = DateTimeOffset.UtcNow.AddDays(-20);
        var trialEnd = t0.AddDays(14);
        SubscriptionSnapshot Snapshot(SubscriptionStatus status, DateTimeOffset at, DateTimeOffset? endedAt = null) =>
            new(subscription, status, "pro-monthly", "pro", 1, t0, trialEnd, trialEnd, false, endedAt, endedAt, at);

        await _host.ApplyAsync(
            new SubscriptionChanged(NotificationTestKit.Provider, "evt_1", t0, customer, accountId, Snapshot(SubscriptionStatus.Trialing, t0)),
            new SubscriptionTrialWillEnd(NotificationTestKit.Provider, "evt_2", t0.AddDays(11), customer, accountId, Snapshot(SubscriptionStatus.Trialing, t0.AddDays(11))),
            new InvoicePaymentFailed(NotificationTestKit.Provider, "evt_3", trialEnd, customer, accountId,
                new InvoiceDetails($"in_{Guid.NewGuid():N}", subscription, 2000, "EUR", trialEnd, trialEnd.AddDays(30), 1, null, null)),
            new SubscriptionDeleted(NotificationTestKit.Provider, "evt_4", trialEnd.AddDays(1), customer, accountId,
                Snapshot(SubscriptionStatus.Canceled, trialEnd.AddDays(1), endedAt: trialEnd.AddDays(1))));

        await _host.Engine().DrainAsync(CancellationToken.None);

        var mails = MailTo(email).ToDictionary(m => m.Subject);
        Assert.Equal(3, mails.Count);
        var trial = mails[$"Your Pro trial ends on {trialEnd.UtcDateTime:d MMMM yyyy}"];
        Assert.Contains("Add or check your payment method", trial.TextBody, StringComparison.Ordinal);
        var dunning = mails["Action needed: your payment of 20.00 EUR failed"];
        Assert.Contains("Update your payment method: http://app.test/billing", dunning.TextBody, StringComparison.Ordinal);
        Assert.Contains("(attempt 1)", dunning.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"http://app.test/billing\"", dunning.HtmlBody, StringComparison.Ordinal);
        var canceled = mails["Your Pro subscription was canceled"];
        Assert.Contains($"ended on {trialEnd.AddDays(1).UtcDateTime:d MMMM yyyy}", canceled.TextBody, StringComparison.Ordinal);

        var handlers = new[]
        {
            SendTrialEndingEmailHandler.HandlerName, SendPaymentFailedEmailHandler.HandlerName, SendSubscriptionCanceledEmailHandler.HandlerName,
        };
        var states = await _host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking().Where(d => handlers.Contains(d.Handler))
            .Select(d => d.State).ToListAsync());
        Assert.All(states, s => Assert.Equal(OutboxDeliveryState.Succeeded, s));
    }

    [Fact]
    public async Task DunningReminder_WhilePastDue_EmailsTheOwner_AndNotOnceRecovered()
    {
        var customer = $"cus_{Guid.NewGuid():N}";
        var subscription = $"sub_{Guid.NewGuid():N}";
        var (email, accountId) = await _host.OwnerWithAccountAsync(customer);
        var t0 = DateTimeOffset.UtcNow.AddDays(-3);
        SubscriptionSnapshot Snapshot(SubscriptionStatus status, DateTimeOffset at) =>
            new(subscription, status, "pro-monthly", "pro", 1, t0, t0.AddDays(30), null, false, null, null, at);
        await _host.ApplyAsync(new SubscriptionChanged(NotificationTestKit.Provider, "evt_1", t0.AddMinutes(1), customer, accountId, Snapshot(SubscriptionStatus.PastDue, t0.AddMinutes(1))));
        var subscriptionId = await _host.QueryDbAsync(db => db.Subscriptions.Where(s => s.ProviderSubscriptionId == subscription).Select(s => s.Id).SingleAsync());

        var first = await _host.SendAsync(new RaiseDunningReminderCommand(subscriptionId, TimeSpan.FromDays(1)));
        await _host.Engine().DrainAsync(CancellationToken.None);

        Assert.True(first.IsSuccess && first.Value.Raised);
        var reminder = Assert.Single(MailTo(email));
        Assert.Equal("Reminder: your Pro payment is still outstanding", reminder.Subject);
        Assert.Contains("Update your payment method: http://app.test/billing", reminder.TextBody, StringComparison.Ordinal);

        // A reminder raised while past_due but delivered after the payment recovered sends nothing.
        var second = await _host.SendAsync(new RaiseDunningReminderCommand(subscriptionId, TimeSpan.FromMilliseconds(1)));
        Assert.True(second.IsSuccess && second.Value.Raised, second.Error?.Code);
        await _host.ApplyAsync(new SubscriptionChanged(NotificationTestKit.Provider, "evt_2", t0.AddMinutes(2), customer, accountId, Snapshot(SubscriptionStatus.Active, t0.AddMinutes(2))));
        await _host.Engine().DrainAsync(CancellationToken.None);

        Assert.Single(MailTo(email));
        var states = await _host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking()
            .Where(d => d.Handler == SendDunningReminderEmailHandler.HandlerName).Select(d => d.State).ToListAsync());
        Assert.Equal(2, states.Count);
        Assert.All(states, s => Assert.Equal(OutboxDeliveryState.Succeeded, s));
    }

    [Fact]
    public async Task TrialWillEnd_ForASubscriptionThatAlreadyConverted_SendsNothing()
    {
        var customer = $"cus_{Guid.NewGuid():N}";
        var subscription = $"sub_{Guid.NewGuid():N}";
        var (email, accountId) = await _host.OwnerWithAccountAsync(customer);
        var t0 = DateTimeOffset.UtcNow.AddDays(-20);
        var active = new SubscriptionSnapshot(subscription, SubscriptionStatus.Active, "pro-monthly", "pro", 1, t0, t0.AddDays(30), null, false, null, null, t0);

        await _host.ApplyAsync(
            new SubscriptionChanged(NotificationTestKit.Provider, "evt_1", t0, customer, accountId, active),
            new SubscriptionTrialWillEnd(NotificationTestKit.Provider, "evt_2", t0.AddDays(1), customer, accountId, active with { SnapshotAt = t0.AddDays(1) }));
        await _host.Engine().DrainAsync(CancellationToken.None);

        Assert.Empty(MailTo(email));
        Assert.Equal(0, await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync(m =>
            m.Type == nameof(SubscriptionTrialEnding) && m.Payload.Contains(accountId.ToString()))));
    }

    [Fact]
    public async Task HtmlBody_EncodesWhatComesFromData()
    {
        var (email, accountId) = await _host.OwnerWithAccountAsync($"cus_{Guid.NewGuid():N}");
        var organizationId = await _host.QueryDbAsync(db => db.BillingAccounts.Where(a => a.Id == accountId).Select(a => a.OrganizationId).SingleAsync());
        await _host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, "<script>alert(1)</script> & Co")));
        await _host.CapturedPaymentAsync(accountId);

        await _host.Engine().DrainAsync(CancellationToken.None);

        var receipt = Assert.Single(MailTo(email));
        Assert.Contains("<script>alert(1)</script> & Co", receipt.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", receipt.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", receipt.HtmlBody, StringComparison.Ordinal);
    }
}

public sealed class PostgresBillingEmailTests(PostgresTestDatabase database) : BillingEmailTests<PostgresTestDatabase>(database);

public sealed class SqliteBillingEmailTests(SqliteTestDatabase database) : BillingEmailTests<SqliteTestDatabase>(database);
