using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// The simulator delivers a whole scenario — sign-ups, a scheduled cancel, a failing renewal card, two renewals — with
/// every event duplicated and batches shuffled, over HTTP to /webhooks/inmemory. The stored state must end equal to the
/// provider's own (in-order) truth, and no fact may be applied twice. On PostgreSQL and on SQLite (the zero-config
/// default: one applier lane, one writer).
/// </summary>
public abstract class WebhookStormTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private const int Accounts = 5;
    private readonly TDatabase _database = new();
    private MonolithWebFactory _factory = null!;
    private Uri _baseAddress = null!;
    private string _lastDifference = "nothing compared yet";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database);
        _baseAddress = _factory.StartKestrel();
    }

    [Fact]
    public async Task Storm_WithDuplicatesAndShuffledOrder_EndsInTheProvidersInOrderState()
    {
        var services = _factory.Services;
        var chaos = services.GetRequiredService<SimulatorChaos>();
        var simulator = services.GetRequiredService<SimulatorState>();
        chaos.Duplicates = true;
        chaos.Shuffle = true;

        var clients = new List<HttpClient>();
        for (var i = 0; i < Accounts; i++)
        {
            var client = _factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = _baseAddress });
            await HttpForms.SubmitAsync(client, "/account/register", new()
            {
                ["Input.Email"] = $"storm-{i}-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
            });
            var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" });
            var url = (await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
            Assert.Equal(CheckoutAttemptOutcome.Completed, simulator.SubmitCard(url.TrimEnd('/').Split('/')[^1], "4242424242424242").Outcome);
            clients.Add(client);
        }

        var subscriptions = await WaitForAsync(async () =>
        {
            var rows = await QueryAsync(db => db.Subscriptions.AsNoTracking().ToListAsync());
            return rows.Count == Accounts && rows.All(s => s.Status == SubscriptionStatus.Active) ? rows : null;
        });

        // Account 0 cancels at period end; account 1's card starts failing; then two months pass.
        var first = await OwnSubscriptionAsync(clients[0], subscriptions);
        Assert.True((await clients[0].PostAsJsonAsync($"/api/billing/subscriptions/{first.Id}/cancel", new { atPeriodEnd = true })).IsSuccessStatusCode);
        var failing = await OwnSubscriptionAsync(clients[1], subscriptions);
        var customer = await QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.Id == failing.BillingAccountId)
            .SelectMany(a => a.Customers).Select(c => c.CustomerId).SingleAsync());
        Assert.True(simulator.SetDefaultCardOutcome(customer, CardOutcome.Declined).IsSuccess);
        var clock = services.GetRequiredService<SimulatorClock>();
        await clock.AdvanceAsync(TimeSpan.FromDays(31));
        await clock.AdvanceAsync(TimeSpan.FromDays(31));

        var port = services.GetRequiredService<IPaymentsPort>();
        await WaitForAsync(async () =>
        {
            foreach (var subscription in subscriptions)
            {
                var truth = await port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Subscription, subscription.ProviderSubscriptionId), default);
                var snapshot = truth.Value.OfType<SubscriptionChanged>().Select(e => e.Snapshot)
                    .Concat(truth.Value.OfType<SubscriptionDeleted>().Select(e => e.Snapshot)).Single();
                var stored = await QueryAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription.Id));
                if (stored.Status != snapshot.Status || stored.CurrentPeriodEnd != snapshot.CurrentPeriodEnd || stored.CancelAtPeriodEnd != snapshot.CancelAtPeriodEnd)
                {
                    _lastDifference = $"{subscription.ProviderSubscriptionId}: stored {stored.Status}/{stored.CurrentPeriodEnd:O}/{stored.CancelAtPeriodEnd}, " +
                                      $"provider {snapshot.Status}/{snapshot.CurrentPeriodEnd:O}/{snapshot.CancelAtPeriodEnd}";
                    return null;
                }
            }

            return subscriptions;
        });

        var statuses = await QueryAsync(db => db.Subscriptions.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Status }).ToListAsync());
        Assert.Equal(SubscriptionStatus.Canceled, statuses.Single(s => s.Id == first.Id).Status);
        Assert.Contains(statuses.Single(s => s.Id == failing.Id).Status, new[] { SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid });
        var activations = await QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Type == nameof(SubscriptionActivated)).Select(m => m.Payload).ToListAsync());
        foreach (var subscription in subscriptions)
        {
            Assert.Single(activations, payload => payload.Contains(subscription.Id.ToString(), StringComparison.Ordinal));
        }

        var duplicatesSeen = await QueryAsync(db => db.WebhookEvents.CountAsync());
        Assert.True(services.GetRequiredService<SimulatorWebhookDispatcher>().RecentDeliveries.Count(d => d.Delivered) > duplicatesSeen,
            "Chaos should have delivered more requests than there are distinct events.");
    }

    private static async Task<Subscription> OwnSubscriptionAsync(HttpClient client, List<Subscription> all)
    {
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions");
        var id = Guid.Parse(mine.EnumerateArray().Single().GetProperty("subscriptionId").GetString()!);
        return all.Single(s => s.Id == id);
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The stored state did not converge to the provider's state in time. Last difference: {_lastDifference}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class PostgresWebhookStormTests : WebhookStormTests<PostgresTestDatabase>;

public sealed class SqliteWebhookStormTests : WebhookStormTests<SqliteTestDatabase>;
