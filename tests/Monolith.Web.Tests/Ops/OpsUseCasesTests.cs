using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Application.Ops.BillingAccounts.FindBillingAccounts;
using Monolith.Application.Ops.BillingAccounts.GetBillingAccountDetails;
using Monolith.Application.Ops.Deliveries.DeleteDelivery;
using Monolith.Application.Ops.Deliveries.GetDelivery;
using Monolith.Application.Ops.Deliveries.ListDeliveries;
using Monolith.Application.Ops.Deliveries.RequeueDelivery;
using Monolith.Application.Ops.Overview.GetOpsOverview;
using Monolith.Application.Ops.Webhooks.ListWebhookEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Ops;

/// <summary>
/// The ops use cases on each database provider (the app defaults to SQLite, which stores instants as ticks and has
/// its own string functions): counts, lists, details, actions and their audit rows, and the ops-only access rule.
/// </summary>
public abstract class OpsUseCasesTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private readonly OpsProbeSwitch _probes = new();

    [Fact]
    public async Task Deliveries_CountListDetailRequeueDelete_WorkAndAreAudited()
    {
        await using var host = CreateHost();
        var opsEmail = $"ops-{Guid.NewGuid():N}@example.test";
        var ops = await host.RegisterAsync(opsEmail);
        var failing = await AddProbeAsync(host, fail: true);
        var healthy = await AddProbeAsync(host, fail: false);
        await host.Services.GetRequiredService<OutboxEngine>().DrainAsync(CancellationToken.None);
        var dead = await DeliveryOfAsync(host, failing);
        var succeeded = await DeliveryOfAsync(host, healthy);

        var overview = (await host.SendAsync(new GetOpsOverviewQuery(), ops.UserId, ops: true)).Value;
        var deadList = (await host.SendAsync(new ListDeliveriesQuery("Dead", OpsProbeHandler.HandlerName), ops.UserId, ops: true)).Value;
        var detail = (await host.SendAsync(new GetDeliveryQuery(dead.Id), ops.UserId, ops: true)).Value;

        Assert.Equal(OutboxDeliveryState.Dead, dead.State);
        Assert.True(overview.Deliveries.Dead >= 1);
        Assert.True(overview.Hours.Sum(h => h.DeliveriesSucceeded) >= 1);
        Assert.Equal(24, overview.Hours.Count);
        Assert.Contains(deadList.Deliveries.Items, d => d.Id == dead.Id);
        Assert.DoesNotContain(deadList.Deliveries.Items, d => d.Id == succeeded.Id);
        Assert.Contains(OpsProbeHandler.HandlerName, deadList.Handlers);
        Assert.Contains("test.ops_probe_failed", detail.Delivery.LastError, StringComparison.Ordinal);
        Assert.Contains(failing.ToString(), detail.Payload, StringComparison.Ordinal);

        _probes.Heal(failing);
        var requeued = await host.SendAsync(new RequeueDeliveryCommand(dead.Id), ops.UserId, ops: true);
        await host.Services.GetRequiredService<OutboxEngine>().DrainAsync(CancellationToken.None);
        var deleted = await host.SendAsync(new DeleteDeliveryCommand(succeeded.Id), ops.UserId, ops: true);

        Assert.True(requeued.IsSuccess);
        Assert.Equal(OutboxDeliveryState.Succeeded, (await DeliveryOfAsync(host, failing)).State);
        Assert.True(deleted.IsSuccess);
        Assert.False(await host.QueryDbAsync(db => db.OutboxDeliveries.AnyAsync(d => d.Id == succeeded.Id)));
        var audit = await host.QueryDbAsync(db => db.OpsAudit.AsNoTracking().Where(a => a.ActorUserId == ops.UserId).OrderBy(a => a.At).ToListAsync());
        Assert.Equal([OpsActions.DeliveryRequeue, OpsActions.DeliveryDelete], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(opsEmail, a.ActorEmail));
        Assert.Equal([dead.Id.ToString(), succeeded.Id.ToString()], audit.Select(a => a.TargetId));
    }

    [Fact]
    public async Task Requeue_OfADeliveryThatIsNotDead_FailsAndLeavesNoAuditEntry()
    {
        await using var host = CreateHost();
        var ops = await host.RegisterAsync();
        var message = await AddProbeAsync(host, fail: false);
        await host.Services.GetRequiredService<OutboxEngine>().DrainAsync(CancellationToken.None);
        var delivery = await DeliveryOfAsync(host, message);

        var result = await host.SendAsync(new RequeueDeliveryCommand(delivery.Id), ops.UserId, ops: true);

        Assert.Equal("outbox.delivery.state_invalid", result.Error!.Code);
        Assert.False(await host.QueryDbAsync(db => db.OpsAudit.AnyAsync(a => a.TargetId == delivery.Id.ToString())));
    }

    [Fact]
    public async Task OpsRequests_FromNonOpsOrAnonymousCallers_AreRefused()
    {
        await using var host = CreateHost();
        var member = await host.RegisterAsync();

        var asMember = await host.SendAsync(new ListDeliveriesQuery(), member.UserId, ops: false);
        var anonymous = await host.SendAsync(new DeleteDeliveryCommand(Guid.NewGuid()));

        Assert.Equal("auth.ops_required", asMember.Error!.Code);
        Assert.Equal("auth.sign_in_required", anonymous.Error!.Code);
    }

    [Fact]
    public async Task WebhookEvents_ByTypePrefixAndByAccountNamedInThePayload_AreFound()
    {
        await using var host = CreateHost();
        var ops = await host.RegisterAsync();
        var customer = $"cus_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var mine = WebhookEvent.Receive(Guid.NewGuid(), "stripe", $"evt_{Guid.NewGuid():N}", "invoice.paid", $"{{\"customer\":\"{customer}\"}}", now).Value;
        var other = WebhookEvent.Receive(Guid.NewGuid(), "stripe", $"evt_{Guid.NewGuid():N}", "invoice.paid", "{\"customer\":\"cus_someone_else\"}", now).Value;
        await host.QueryDbAsync(async db =>
        {
            db.WebhookEvents.AddRange(mine, other);
            return await db.SaveChangesAsync();
        });

        var byAccount = (await host.SendAsync(new ListWebhookEventsQuery(Account: customer), ops.UserId, ops: true)).Value;
        var byType = (await host.SendAsync(new ListWebhookEventsQuery(Type: "invoice."), ops.UserId, ops: true)).Value;
        var byOtherType = (await host.SendAsync(new ListWebhookEventsQuery(Type: "checkout."), ops.UserId, ops: true)).Value;

        Assert.Equal([mine.Id], byAccount.Items.Select(e => e.Id));
        Assert.Contains(byType.Items, e => e.Id == other.Id);
        Assert.DoesNotContain(byOtherType.Items, e => e.Id == mine.Id);
    }

    [Fact]
    public async Task BillingAccounts_FoundByEmailOrCustomer_ShowMembersCustomerSubscriptionAndWebhooks()
    {
        await using var host = CreateHost();
        var ops = await host.RegisterAsync();
        var email = $"Findable-{Guid.NewGuid():N}@example.test";
        var member = await host.RegisterAsync(email);
        var customer = $"cus_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var account = BillingAccount.Open(Guid.NewGuid(), member.PersonalOrganizationId, now).Value;
        Assert.True(account.LinkCustomer("inmemory", customer, now).IsSuccess);
        var subscription = Subscription.Start(Guid.NewGuid(), account.Id, "inmemory", new SubscriptionSnapshot(
            $"sub_{Guid.NewGuid():N}", SubscriptionStatus.Active, "pro-monthly", "pro", 3, now, now.AddMonths(1), null, false, null, null, now), isAddOn: false, accountSubscriptions: []).Value;
        var webhook = WebhookEvent.Receive(Guid.NewGuid(), "inmemory", $"evt_{Guid.NewGuid():N}", "invoice.paid",
            $"{{\"metadata\":{{\"billing_account_id\":\"{account.Id}\"}}}}", now).Value;
        await host.QueryDbAsync(async db =>
        {
            db.BillingAccounts.Add(account);
            db.Subscriptions.Add(subscription);
            db.WebhookEvents.Add(webhook);
            return await db.SaveChangesAsync();
        });

        var byEmail = (await host.SendAsync(new FindBillingAccountsQuery(email[..20].ToLowerInvariant()), ops.UserId, ops: true)).Value;
        var byCustomer = (await host.SendAsync(new FindBillingAccountsQuery(customer), ops.UserId, ops: true)).Value;
        var details = (await host.SendAsync(new GetBillingAccountDetailsQuery(member.PersonalOrganizationId), ops.UserId, ops: true)).Value;
        var webhooks = (await host.SendAsync(new ListWebhookEventsQuery(Account: member.PersonalOrganizationId.ToString()), ops.UserId, ops: true)).Value;

        var match = Assert.Single(byEmail, m => m.OrganizationId == member.PersonalOrganizationId);
        Assert.Equal(account.Id, match.BillingAccountId);
        Assert.Equal(1, match.Subscriptions);
        Assert.Equal([member.PersonalOrganizationId], byCustomer.Select(m => m.OrganizationId));
        Assert.Contains(details.Members, m => m.UserId == member.UserId && m.Email == email);
        Assert.Equal(customer, Assert.Single(details.Account!.Customers).CustomerId);
        var shown = Assert.Single(details.Subscriptions);
        Assert.Equal((SubscriptionStatus.Active, 3), (shown.Status, shown.Quantity));
        Assert.Equal([webhook.Id], webhooks.Items.Select(e => e.Id));
    }

    private ApplicationHost CreateHost() => new(database, services =>
    {
        services.AddSingleton(_probes);
        services.AddScoped<IOutboxHandler<OpsProbe>, OpsProbeHandler>();
    }, new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "1" });

    private async Task<Guid> AddProbeAsync(ApplicationHost host, bool fail)
    {
        var probe = Guid.NewGuid();
        if (fail)
        {
            _probes.Fail(probe);
        }

        var now = DateTimeOffset.UtcNow;
        var payload = JsonSerializer.Serialize(new OpsProbe(probe, now), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await host.QueryDbAsync(async db =>
        {
            db.OutboxMessages.Add(new OutboxMessage(Guid.NewGuid(), nameof(OpsProbe), payload, now, now));
            return await db.SaveChangesAsync();
        });
        return probe;
    }

    private static async Task<OutboxDelivery> DeliveryOfAsync(ApplicationHost host, Guid probe) =>
        await host.QueryDbAsync(db => (
            from d in db.OutboxDeliveries.AsNoTracking()
            join m in db.OutboxMessages on d.MessageId equals m.Id
            where m.Payload.Contains(probe.ToString())
            select d).SingleAsync());
}

public sealed class PostgresOpsUseCasesTests(PostgresTestDatabase database) : OpsUseCasesTests<PostgresTestDatabase>(database);

public sealed class SqliteOpsUseCasesTests(SqliteTestDatabase database) : OpsUseCasesTests<SqliteTestDatabase>(database);
