using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monolith.Application.Billing.Entitlements;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;
using Npgsql;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>
/// Two app instances (two service providers) on one PostgreSQL database: a commit on one reaches the other through
/// NOTIFY/LISTEN — outbox work is picked up long before the (one-minute) poll, and cached entitlements are dropped.
/// </summary>
public sealed class PostgresNotifyTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Far longer than <see cref="Deadline"/>: anything handled in time was woken, not polled.</summary>
    private static readonly Dictionary<string, string?> SlowPoll = new() { ["Outbox:PollInterval"] = "00:01:00" };

    [Fact]
    public async Task MessageCommittedOnOneInstance_IsHandledByAnotherInstance_BeforeItsPoll()
    {
        var writerLog = new ProbeLog();
        var workerLog = new ProbeLog();
        // A only writes (no dispatcher, no workers); B works and listens.
        await using var a = OutboxTestHost.Create(database, writerLog, new Dictionary<string, string?>(SlowPoll) { ["Outbox:Workers:Enabled"] = "false" });
        await using var b = OutboxTestHost.Create(database, workerLog, new Dictionary<string, string?>(SlowPoll) { ["Outbox:Workers:Concurrency"] = "1" });
        var started = await StartAsync(b, typeof(OutboxBackgroundService), typeof(PostgresChangeListener));
        try
        {
            var listener = b.Services.GetRequiredService<PostgresChangeListener>();
            await OutboxTestHost.WaitUntilAsync(() => Task.FromResult(listener.IsListening), Deadline, "B to listen");

            // Warm-up: B's loops have run their start-up rounds and gone back to waiting once this one is done.
            var warmUp = await a.AddProbesAsync(1);
            await WaitHandledAsync(b, warmUp[0]);
            var noticesBefore = listener.NoticesReceived;

            var ids = await a.AddProbesAsync(1);
            await WaitHandledAsync(b, ids[0]);

            Assert.True(listener.NoticesReceived > noticesBefore, "B acted on a notice from A");
            Assert.Empty(writerLog.Runs);
            Assert.Equal(1, workerLog.Runs[(ids[0], RecordingProbeHandler.HandlerName)]);
            Assert.All(await b.DeliveriesAsync(ids), d => Assert.Equal(OutboxDeliveryState.Succeeded, d.State));
        }
        finally
        {
            await StopAsync(started);
        }
    }

    [Fact]
    public async Task EntitlementCachedOnOneInstance_IsDroppedWhenAnotherInstanceCommitsAnActivation()
    {
        var settings = new Dictionary<string, string?>(SlowPoll) { ["Outbox:Workers:Enabled"] = "false" };
        await using var a = new ApplicationHost(database, settings: settings);
        await using var b = new ApplicationHost(database, settings: settings);
        var started = await StartAsync(b, typeof(PostgresChangeListener));
        try
        {
            var listener = b.Services.GetRequiredService<PostgresChangeListener>();
            await OutboxTestHost.WaitUntilAsync(() => Task.FromResult(listener.IsListening), Deadline, "B to listen");
            var owner = await a.RegisterAsync();
            var accountId = await a.QueryDbAsync(async db =>
            {
                var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value;
                db.BillingAccounts.Add(account);
                await db.SaveChangesAsync();
                return account.Id;
            });

            // B answers "no" (the free plan has no reports) and caches that answer. The notification of the account's own
            // insert may reach B just after its first answer and drop that entry, so B answers until the entry stays.
            var cache = b.Services.GetRequiredService<EntitlementCache>();
            await OutboxTestHost.WaitUntilAsync(async () =>
            {
                Assert.False((await CheckAsync(b, accountId, "reports")).Allowed);
                return cache.TryGet(accountId, out _);
            }, Deadline, "B to cache its answer");

            // A commits an active Pro subscription for the account.
            await a.QueryDbAsync(async db =>
            {
                var now = DateTimeOffset.UtcNow;
                var snapshot = new SubscriptionSnapshot(
                    $"sub_{Guid.NewGuid():N}", SubscriptionStatus.Active, "pro-monthly", "pro", 1, now.AddDays(-1), now.AddDays(29), null, false, null, null, now);
                db.Subscriptions.Add(Subscription.Start(Guid.NewGuid(), accountId, "inmemory", snapshot, isAddOn: false, accountSubscriptions: []).Value);
                return await db.SaveChangesAsync();
            });

            await OutboxTestHost.WaitUntilAsync(async () => (await CheckAsync(b, accountId, "reports")).Allowed, Deadline, "B to grant reports");
        }
        finally
        {
            await StopAsync(started);
        }
    }

    [Fact]
    public async Task Notices_AreSentOnCommitOnly_InCommitOrder()
    {
        await using var a = new ApplicationHost(database, settings: new Dictionary<string, string?> { ["Outbox:Workers:Enabled"] = "false" });
        var owner = await a.RegisterAsync();
        await using var listen = new NpgsqlConnection(database.ConnectionString);
        await listen.OpenAsync();
        var received = new List<string>();
        listen.Notification += (_, e) => received.Add(e.Payload);
        await using (var command = new NpgsqlCommand($"LISTEN {PostgresNotifications.EntitlementsChannel}", listen))
        {
            await command.ExecuteNonQueryAsync();
        }

        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();
        await a.QueryDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.BillingAccounts.Add(BillingAccount.Open(rolledBack, owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            return 0;
        });
        await a.QueryDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.BillingAccounts.Add(BillingAccount.Open(committed, owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return 0;
        });

        var watch = Stopwatch.StartNew();
        while (received.Count == 0 && watch.Elapsed < Deadline)
        {
            await listen.WaitAsync(TimeSpan.FromSeconds(1));
        }

        var first = Assert.Single(received);
        Assert.StartsWith($"{committed:N}|", first, StringComparison.Ordinal);
        Assert.DoesNotContain(received, p => p.StartsWith($"{rolledBack:N}", StringComparison.Ordinal));
    }

    private static async Task WaitHandledAsync(ApplicationHost host, Guid messageId) =>
        await OutboxTestHost.WaitUntilAsync(
            async () => await host.QueryDbAsync(db => db.OutboxDeliveries.CountAsync(d => d.MessageId == messageId && d.State == OutboxDeliveryState.Succeeded)) == 2,
            Deadline, $"message {messageId} to be handled");

    private static async Task<EntitlementCheck> CheckAsync(ApplicationHost host, Guid accountId, string feature)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IEntitlements>().CheckAsync(accountId, feature);
    }

    private static async Task<List<IHostedService>> StartAsync(ApplicationHost host, params Type[] types)
    {
        var services = host.Services.GetServices<IHostedService>().Where(s => types.Contains(s.GetType())).ToList();
        Assert.Equal(types.Length, services.Count);
        foreach (var service in services)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return services;
    }

    private static async Task StopAsync(List<IHostedService> services)
    {
        foreach (var service in services)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
