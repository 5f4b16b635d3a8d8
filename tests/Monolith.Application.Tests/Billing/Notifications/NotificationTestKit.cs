using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.Notifications;

/// <summary>Billing facts committed the way the app commits them (aggregates + outbox in one save).</summary>
internal static class NotificationTestKit
{
    public const string Provider = "stripe";

    public static OutboxEngine Engine(this ApplicationHost host) => host.Services.GetRequiredService<OutboxEngine>();

    /// <summary>A registered owner (unique email) and a billing account for their organisation linked to customer <paramref name="customerId"/>.</summary>
    public static async Task<(string Email, Guid AccountId)> OwnerWithAccountAsync(this ApplicationHost host, string customerId)
    {
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        var owner = await host.RegisterAsync(email);
        var accountId = await host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, now).Value;
            Assert.True(account.LinkCustomer(Provider, customerId, now).IsSuccess);
            db.BillingAccounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        return (email, accountId);
    }

    public static Task<Payment> CapturedPaymentAsync(this ApplicationHost host, Guid accountId, long amountMinor = 4900, string currency = "EUR") =>
        host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var amount = Money.Create(amountMinor, currency).Value;
            var payment = Payment.Initiate(Guid.NewGuid(), accountId, "inmemory", $"pi_{Guid.NewGuid():N}", PaymentKind.OneTime, amount, null, now).Value;
            Assert.True(payment.MarkSucceeded($"ch_{Guid.NewGuid():N}", amount, now).IsSuccess);
            db.Payments.Add(payment);
            await db.SaveChangesAsync();
            return payment;
        });

    /// <summary>Applies provider events through the real applier and EF store, one committed unit of work per event.</summary>
    public static async Task ApplyAsync(this ApplicationHost host, params ProviderEvent[] events)
    {
        foreach (var e in events)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var applied = await scope.ServiceProvider.GetRequiredService<ProviderEventApplier>().ApplyAsync(e, DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.True(applied.Outcome.Disposition is ProviderEventDisposition.Applied or ProviderEventDisposition.Ignored,
                $"{e.GetType().Name} {e.ProviderEventId}: {applied.Outcome.Disposition} {applied.Outcome.Detail}");
            await scope.ServiceProvider.GetRequiredService<IAppDbContext>().SaveChangesAsync();
        }
    }
}
