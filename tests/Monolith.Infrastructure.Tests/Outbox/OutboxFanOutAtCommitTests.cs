using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Accounts.Organizations.RenameOrganization;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Outbox;

/// <summary>
/// Events raised by aggregates are fanned out in the command's own transaction: the message is marked dispatched and one
/// pending delivery per handler commits with it, so no dispatcher round (and no extra commit) stands between the
/// change and its handlers. Events nobody handles get no delivery.
/// </summary>
public abstract class OutboxFanOutAtCommitTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task AggregateEvent_WithAHandler_CommitsItsDeliveryWithTheChange_AndNeedsNoDispatch()
    {
        var seen = new ConcurrentQueue<Guid>();
        await using var host = new ApplicationHost(database, services =>
        {
            services.AddSingleton(seen);
            services.AddScoped<IOutboxHandler<OrganizationRenamed>, RenameWatcher>();
        }, new Dictionary<string, string?> { ["Outbox:Workers:Enabled"] = "false" });
        var user = await host.RegisterAsync();
        var created = await host.SendAsync(new CreateOrganizationCommand("Acme"), user.UserId);
        var version = await host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == created.Value.OrganizationId).Select(o => o.Version).SingleAsync());

        Assert.True((await host.SendAsync(new RenameOrganizationCommand(created.Value.OrganizationId, "Acme Ltd", version), user.UserId)).IsSuccess);

        var message = await host.QueryDbAsync(db => db.OutboxMessages.AsNoTracking()
            .SingleAsync(m => m.Type == nameof(OrganizationRenamed) && m.Payload.Contains(created.Value.OrganizationId.ToString())));
        Assert.NotNull(message.DispatchedAt);
        // One delivery per handler of the event (the app's own, SyncProviderCustomer, beside this test's).
        var deliveries = await host.DeliveriesAsync([message.Id]);
        Assert.Equal(OutboxDeliveryState.Pending, Assert.Single(deliveries, d => d.Handler == RenameWatcher.HandlerName).State);
        Assert.All(deliveries, d => Assert.Equal(OutboxDeliveryState.Pending, d.State));
        var created2 = await host.QueryDbAsync(db => db.OutboxMessages.AsNoTracking()
            .SingleAsync(m => m.Type == nameof(OrganizationCreated) && m.Payload.Contains(created.Value.OrganizationId.ToString())));
        Assert.NotNull(created2.DispatchedAt);
        Assert.Empty(await host.DeliveriesAsync([created2.Id])); // nobody handles OrganizationCreated here

        Assert.Equal(0, await host.Engine().DispatchAsync(CancellationToken.None));
        await host.Engine().DrainAsync(CancellationToken.None);

        Assert.All(await host.DeliveriesAsync([message.Id]), d => Assert.Equal(OutboxDeliveryState.Succeeded, d.State));
        Assert.Equal([created.Value.OrganizationId], seen);
    }

    private sealed class RenameWatcher(ConcurrentQueue<Guid> seen) : IOutboxHandler<OrganizationRenamed>
    {
        public const string HandlerName = "test.rename-watcher";

        public string Name => HandlerName;

        public Task<Result> HandleAsync(OrganizationRenamed e, OutboxContext ctx, CancellationToken ct)
        {
            seen.Enqueue(e.OrganizationId);
            return Task.FromResult(Result.Success());
        }
    }
}

public sealed class PostgresOutboxFanOutAtCommitTests(PostgresTestDatabase database) : OutboxFanOutAtCommitTests<PostgresTestDatabase>(database);

public sealed class SqliteOutboxFanOutAtCommitTests(SqliteTestDatabase database) : OutboxFanOutAtCommitTests<SqliteTestDatabase>(database);
