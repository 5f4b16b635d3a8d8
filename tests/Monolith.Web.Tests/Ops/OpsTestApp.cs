using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Ops;

/// <summary>A test-only event whose handler fails while its probe id is on the failing list.</summary>
public sealed record OpsProbe(Guid ProbeId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed class OpsProbeSwitch
{
    private readonly ConcurrentDictionary<Guid, bool> _failing = new();

    public void Fail(Guid probeId) => _failing[probeId] = true;

    public void Heal(Guid probeId) => _failing.TryRemove(probeId, out _);

    public bool IsFailing(Guid probeId) => _failing.ContainsKey(probeId);
}

internal sealed class OpsProbeHandler(OpsProbeSwitch probes) : IOutboxHandler<OpsProbe>
{
    public const string HandlerName = "test.ops-probe";

    public string Name => HandlerName;

    public Task<Result> HandleAsync(OpsProbe e, OutboxContext ctx, CancellationToken ct) =>
        Task.FromResult(probes.IsFailing(e.ProbeId)
            ? Result.Failure(Error.Upstream("test.ops_probe_failed", $"Planned failure of probe {e.ProbeId}."))
            : Result.Success());
}

/// <summary>
/// The real app (PostgreSQL, outbox workers running) plus the probe handler. Retries are an hour apart and a delivery
/// dies on its second failure, so a test sees "Failed" (waiting for its retry) and "Dead" without waiting.
/// </summary>
public sealed class OpsTestApp : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory? _root;

    public OpsProbeSwitch Probes { get; } = new();
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task StartAsync()
    {
        await _database.InitializeAsync();
        _root = new MonolithWebFactory(_database, settings: new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = "2",
            // The schedule stays listed, but never fires by itself: at a 5-minute mark it would re-apply the failed
            // webhook events these tests create and then inspect.
            ["Jobs:Enabled"] = "true",
            ["Jobs:InboxRetry:Cron"] = "0 0 31 2 *",
            ["Outbox:BackoffBase"] = "01:00:00",
            ["Outbox:BackoffCap"] = "01:00:00",
            ["Outbox:PollInterval"] = "00:00:00.200",
        });
        Factory = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Probes);
            services.AddScoped<IOutboxHandler<OpsProbe>, OpsProbeHandler>();
        }));
    }

    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A probe message whose delivery failed once and waits (an hour) for its retry.</summary>
    public async Task<Guid> FailedDeliveryAsync()
    {
        var probe = Guid.NewGuid();
        Probes.Fail(probe);
        var messageId = Guid.NewGuid();
        await WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var e = new OpsProbe(probe, now);
            db.OutboxMessages.Add(new OutboxMessage(messageId, nameof(OpsProbe), JsonSerializer.Serialize(e, new JsonSerializerOptions(JsonSerializerDefaults.Web)), now, now));
            await db.SaveChangesAsync();
        });
        var delivery = await WaitForDeliveryAsync(d => d.MessageId == messageId && d.State == OutboxDeliveryState.Failed, "the probe's first failure");
        return delivery.Id;
    }

    /// <summary>A probe delivery that failed twice and is parked as dead; calling the returned Heal makes its next run succeed.</summary>
    public async Task<(Guid DeliveryId, Action Heal)> DeadDeliveryAsync()
    {
        var id = await FailedDeliveryAsync();
        var probe = await ProbeOfAsync(id);
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var retried = await scope.ServiceProvider.GetRequiredService<IOutboxOperations>().RetryNowAsync(id);
            Assert.True(retried.IsSuccess);
        }

        await WaitForDeliveryAsync(d => d.Id == id && d.State == OutboxDeliveryState.Dead, "the probe's delivery to die");
        return (id, () => Probes.Heal(probe));
    }

    public Task<OutboxDelivery?> DeliveryAsync(Guid id) =>
        WithDbAsync(db => db.OutboxDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id));

    public Task<List<OpsAuditEntry>> AuditForAsync(string targetId) =>
        WithDbAsync(db => db.OpsAudit.AsNoTracking().Where(a => a.TargetId == targetId).ToListAsync());

    /// <summary>An inbox row that failed when it arrived; its payload (a simulator checkout expiry for an unknown session) parses.</summary>
    public async Task<Guid> FailedWebhookEventAsync()
    {
        var eventId = $"evt_ops_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var payload = JsonSerializer.Serialize(new
        {
            id = eventId,
            type = "checkout.session.expired",
            created = now.ToUnixTimeSeconds(),
            data = new
            {
                occurred_at = now,
                @object = new
                {
                    id = $"cs_ops_{Guid.NewGuid():N}", customer = (string?)null, client_reference_id = (Guid?)null, mode = "subscription",
                    price = "price_unknown", subscription = (string?)null, payment_intent = (string?)null, status = "expired",
                },
            },
        });
        var received = WebhookEvent.Receive(Guid.NewGuid(), "inmemory", eventId, "checkout.session.expired", payload, now);
        Assert.True(received.IsSuccess);
        Assert.True(received.Value.MarkFailed("database timeout (simulated)", now).IsSuccess);
        await WithDbAsync(async db =>
        {
            db.WebhookEvents.Add(received.Value);
            await db.SaveChangesAsync();
        });
        return received.Value.Id;
    }

    public Task<WebhookEvent?> WebhookEventAsync(Guid id) =>
        WithDbAsync(db => db.WebhookEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id));

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task WithDbAsync(Func<AppDbContext, Task> action) => WithDbAsync(async db =>
    {
        await action(db);
        return true;
    });

    /// <summary>Polls until <paramref name="condition"/> holds (never a fixed sleep).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"Timed out after {seconds}s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    private async Task<OutboxDelivery> WaitForDeliveryAsync(System.Linq.Expressions.Expression<Func<OutboxDelivery, bool>> predicate, string what)
    {
        OutboxDelivery? found = null;
        await WaitUntilAsync(async () => (found = await WithDbAsync(db => db.OutboxDeliveries.AsNoTracking().FirstOrDefaultAsync(predicate))) is not null, what);
        return found!;
    }

    private async Task<Guid> ProbeOfAsync(Guid deliveryId)
    {
        var payload = await WithDbAsync(db => (
            from d in db.OutboxDeliveries
            join m in db.OutboxMessages on d.MessageId equals m.Id
            where d.Id == deliveryId
            select m.Payload).FirstAsync());
        return JsonSerializer.Deserialize<OpsProbe>(payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.ProbeId;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_root is not null)
        {
            await _root.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}

/// <summary>xunit class fixture: one <see cref="OpsTestApp"/> on the in-memory test server.</summary>
public sealed class OpsHostFixture : IAsyncLifetime
{
    public OpsTestApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.StartAsync();
        _ = App.Factory.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
