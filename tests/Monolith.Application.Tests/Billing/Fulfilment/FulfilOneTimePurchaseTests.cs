using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Fulfilment;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.Fulfilment;

/// <summary>A captured one-time payment is fulfilled exactly once, through the outbox, however often the handler runs.</summary>
public abstract class FulfilOneTimePurchaseTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private ApplicationHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(database, settings: new Dictionary<string, string?> { ["Outbox:Workers:Enabled"] = "false" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CapturedOneTimePayment_IsFulfilledOnce_ThroughTheOutbox()
    {
        var payment = await CapturedPaymentAsync(PaymentKind.OneTime);

        await Engine.DrainAsync(CancellationToken.None);

        var fulfilment = await _host.QueryDbAsync(db => db.Fulfilments.AsNoTracking().SingleAsync(f => f.PaymentId == payment.Id));
        Assert.Equal((payment.BillingAccountId, 4900L, "EUR"), (fulfilment.BillingAccountId, fulfilment.Amount.AmountMinor, fulfilment.Amount.Currency));
        var delivery = await _host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking()
            .SingleAsync(d => d.Handler == FulfilOneTimePurchaseHandler.HandlerName && d.EventType == nameof(PaymentCaptured) &&
                              db.OutboxMessages.Any(m => m.Id == d.MessageId && m.Payload.Contains(payment.Id.ToString()))));
        Assert.Equal(OutboxDeliveryState.Succeeded, delivery.State);
        Assert.Equal(1, await FulfilledEventsAsync(payment.Id));

        // The same delivery re-run (a worker crashed after commit, before anyone noticed): the marker makes it a no-op.
        await _host.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, OutboxDeliveryState.Pending)));
        await Engine.DrainAsync(CancellationToken.None);

        Assert.Equal(1, await _host.QueryDbAsync(db => db.Fulfilments.CountAsync(f => f.PaymentId == payment.Id)));
        Assert.Equal(1, await FulfilledEventsAsync(payment.Id));
    }

    [Fact]
    public async Task Handler_RunTwiceForTheSamePayment_FulfilsOnce()
    {
        var payment = await CapturedPaymentAsync(PaymentKind.OneTime);
        var captured = new PaymentCaptured(payment.Id, payment.BillingAccountId, "ch_twice", payment.Amount, DateTimeOffset.UtcNow);

        // Two different messages about the same capture (e.g. a replayed event): each run is its own delivery.
        var first = await RunHandlerAsync(captured);
        var second = await RunHandlerAsync(captured);

        Assert.True(first.IsSuccess && second.IsSuccess);
        Assert.Equal(1, await _host.QueryDbAsync(db => db.Fulfilments.CountAsync(f => f.PaymentId == payment.Id)));
        Assert.Equal(1, await FulfilledEventsAsync(payment.Id));
    }

    [Fact]
    public async Task CapturedInvoicePayment_IsNotAPurchase()
    {
        var payment = await CapturedPaymentAsync(PaymentKind.Invoice);

        await Engine.DrainAsync(CancellationToken.None);

        Assert.Equal(0, await _host.QueryDbAsync(db => db.Fulfilments.CountAsync(f => f.PaymentId == payment.Id)));
        Assert.Empty(await _host.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.State != OutboxDeliveryState.Succeeded).ToListAsync()));
    }

    private OutboxEngine Engine => _host.Services.GetRequiredService<OutboxEngine>();

    private Task<int> FulfilledEventsAsync(Guid paymentId) => _host.QueryDbAsync(db => db.OutboxMessages
        .CountAsync(m => m.Type == nameof(OneTimePurchaseFulfilled) && m.Payload.Contains(paymentId.ToString())));

    private async Task<Result> RunHandlerAsync(PaymentCaptured captured)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler<PaymentCaptured>>().Single(h => h.Name == FulfilOneTimePurchaseHandler.HandlerName);
        var result = await handler.HandleAsync(captured, new OutboxContext(Guid.NewGuid(), Guid.NewGuid(), handler.Name, 1, captured.OccurredAt), CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<IAppDbContext>().SaveChangesAsync();
        return result;
    }

    private async Task<Payment> CapturedPaymentAsync(PaymentKind kind)
    {
        var owner = await _host.RegisterAsync();
        return await _host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, now).Value;
            var amount = Money.Create(4900, "EUR").Value;
            var payment = Payment.Initiate(Guid.NewGuid(), account.Id, "inmemory", $"pi_{Guid.NewGuid():N}", kind, amount, null, now).Value;
            Assert.True(payment.MarkSucceeded($"ch_{Guid.NewGuid():N}", amount, now).IsSuccess);
            db.BillingAccounts.Add(account);
            db.Payments.Add(payment);
            await db.SaveChangesAsync();
            return payment;
        });
    }
}

public sealed class PostgresFulfilOneTimePurchaseTests(PostgresTestDatabase database) : FulfilOneTimePurchaseTests<PostgresTestDatabase>(database);

public sealed class SqliteFulfilOneTimePurchaseTests(SqliteTestDatabase database) : FulfilOneTimePurchaseTests<SqliteTestDatabase>(database);
