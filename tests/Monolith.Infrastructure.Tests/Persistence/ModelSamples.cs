using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Reconciliation;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Dunning;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Tests.Persistence;

/// <summary>
/// One row in every table of the model, written through the aggregates (organisation with members, billing account
/// with customers, subscription, payment with capture and refund, invoice, …), and a way to read each back and
/// describe it, so a test can prove a migrated database stores and returns all of it.
/// </summary>
internal static class ModelSamples
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 30, 15, TimeSpan.Zero);

    /// <summary>The clock for the writing context: whole seconds, so timestamps the context stamps itself compare exactly.</summary>
    public static TimeProvider Clock { get; } = new FixedClock(T0.AddHours(2));

    /// <summary>Writes the samples (new ids every call) and returns what was written: entity key → description.</summary>
    public static async Task<SortedDictionary<string, string>> WriteAsync(AppDbContext db)
    {
        var n = Guid.NewGuid().ToString("N")[..12];
        var provider = $"p{n}";

        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(), UserName = $"u{n}@example.test", NormalizedUserName = $"U{n}@EXAMPLE.TEST", Email = $"u{n}@example.test",
            NormalizedEmail = $"U{n}@EXAMPLE.TEST", EmailConfirmed = true, SecurityStamp = n, CreatedAt = T0, LockoutEnd = T0.AddDays(1),
        };
        var role = new ApplicationRole($"role-{n}") { NormalizedName = $"ROLE-{n}" };
        db.Users.Add(user);
        db.Roles.Add(role);
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = role.Id });
        db.UserClaims.Add(new IdentityUserClaim<Guid> { UserId = user.Id, ClaimType = "tier", ClaimValue = "gold" });
        db.UserLogins.Add(new IdentityUserLogin<Guid> { UserId = user.Id, LoginProvider = "oidc", ProviderKey = n, ProviderDisplayName = "OIDC" });
        db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = user.Id, LoginProvider = "oidc", Name = "refresh", Value = n });
        db.RoleClaims.Add(new IdentityRoleClaim<Guid> { RoleId = role.Id, ClaimType = "perm", ClaimValue = "ops.read" });
        db.IdempotencyRecords.Add(new IdempotencyRecord($"scope-{n}", $"key-{n}", new string('a', 64), T0));
        await db.SaveChangesAsync();

        var organization = Organization.Create(Guid.NewGuid(), "Sample org", user.Id, isPersonal: false, T0).Value;
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();

        var account = BillingAccount.Open(Guid.NewGuid(), organization.Id, T0).Value;
        Assert.True(account.LinkCustomer(provider, $"cus_{n}", T0.AddMinutes(1)).IsSuccess);
        db.BillingAccounts.Add(account);
        var product = CatalogProduct.Create($"plan-{n}", "Sample plan", """["api"]""", """{"api-calls":1000}""", active: true, T0);
        var price = CatalogPrice.Create($"price-{n}", T0);
        price.Apply(product.Id, 1900, "EUR", "month", active: true, new Dictionary<string, string> { [provider] = $"price_{n}" }, T0);
        db.CatalogProducts.Add(product);
        db.CatalogPrices.Add(price);
        await db.SaveChangesAsync();

        var subscription = Subscription.Start(Guid.NewGuid(), account.Id, provider, new SubscriptionSnapshot(
            $"sub_{n}", SubscriptionStatus.PastDue, price.Id, product.Id, 3, T0, T0.AddDays(30), null, true, T0.AddDays(2), null, T0), isAddOn: false, accountSubscriptions: []).Value;
        var payment = Payment.Initiate(Guid.NewGuid(), account.Id, provider, $"pi_{n}", PaymentKind.OneTime, Money.Create(5000, "EUR").Value, null, T0).Value;
        Assert.True(payment.MarkSucceeded($"ch_{n}", Money.Create(5000, "EUR").Value, T0.AddMinutes(2)).IsSuccess);
        Assert.Equal(RefundRecording.Recorded, payment.RecordRefund($"re_{n}", Money.Create(1200, "EUR").Value, "requested_by_customer", T0.AddDays(1)).Value);
        var invoice = Invoice.Open(Guid.NewGuid(), account.Id, provider, $"in_{n}", subscription.ProviderSubscriptionId, Money.Create(733, "JPY").Value,
            T0, T0.AddDays(30), new Uri("https://pay.example/in"), new Uri("https://pay.example/in.pdf"), T0).Value;
        Assert.True(invoice.RecordFailedAttempt(2, T0.AddDays(1)));
        var session = CheckoutSession.Open(Guid.NewGuid(), account.Id, provider, $"cs_{n}", price.Id, CheckoutMode.Subscription, T0.AddDays(1), T0).Value;
        var webhook = WebhookEvent.Receive(Guid.NewGuid(), provider, $"evt_{n}", "invoice.paid", """{"id":"evt"}""", T0).Value;
        Assert.True(webhook.MarkFailed("boom", T0.AddSeconds(1)).IsSuccess);
        var usage = UsageEvent.Record(Guid.NewGuid(), account.Id, "api-calls", 1234, $"key-{n}", T0, T0.AddDays(30), UsageMode.SetTotal, T0.AddHours(1), UsageRules.Default).Value;
        db.Subscriptions.Add(subscription);
        db.Payments.Add(payment);
        db.Invoices.Add(invoice);
        db.CheckoutSessions.Add(session);
        db.WebhookEvents.Add(webhook);
        db.UsageEvents.Add(usage);
        db.PendingProviderEvents.Add(new PendingProviderEventRecord(
            Guid.NewGuid(), provider, $"evt_parked_{n}", $"subscription:{provider}:sub_{n}", "SubscriptionChanged", "{}", "waiting for the subscription", T0));
        db.OpsAudit.Add(new OpsAuditEntry(Guid.NewGuid(), T0, user.Id, user.Email!, "outbox.retry", "delivery", n, "sample"));
        db.DriftReports.Add(new BillingDriftReport(Guid.NewGuid(), T0, "subscription", provider, $"sub_{n}", account.Id, "before", "after", "status"));
        await db.SaveChangesAsync();

        db.Fulfilments.Add(PurchaseFulfilment.Fulfil(Guid.NewGuid(), payment, T0.AddMinutes(3)).Value);
        db.DunningReminders.Add(DunningReminder.Raise(Guid.NewGuid(), subscription, 1, TimeSpan.FromDays(3), T0.AddDays(4)).Value);
        var message = new OutboxMessage(Guid.NewGuid(), "SampleHappened", """{"n":1}""", T0, T0);
        db.OutboxMessages.Add(message);
        db.OutboxDeliveries.Add(new OutboxDelivery(Guid.NewGuid(), message.Id, message.Type, "SampleHandler", T0));
        db.OutboxProcessed.Add(new OutboxProcessedMarker(message.Id, "SampleHandler", T0.AddSeconds(5)));
        await db.SaveChangesAsync();

        var written = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            written[Key(entry)] = Describe(entry.Entity);
        }

        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet();
        var covered = db.ChangeTracker.Entries().Select(e => e.Metadata.GetTableName()).OfType<string>().ToHashSet();
        Assert.True(tables.SetEquals(covered),
            $"ModelSamples writes no row to: {string.Join(", ", tables.Except(covered).Order(StringComparer.Ordinal))}. Add a sample of the new entity.");
        return written;
    }

    /// <summary>Loads every entity of <paramref name="keys"/> (from <see cref="WriteAsync"/>) by its key in <paramref name="db"/> and describes it.</summary>
    public static async Task<SortedDictionary<string, string>> ReadAsync(AppDbContext db, IEnumerable<string> keys)
    {
        var read = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var (typeName, values) = ParseKey(key);
            var entityType = db.Model.FindEntityType(typeName)!;
            var keyValues = entityType.FindPrimaryKey()!.Properties.Zip(values, (p, v) => ConvertKey(p.ClrType, v)).ToArray();
            var entity = await db.FindAsync(entityType.ClrType, keyValues);
            read[key] = entity is null ? "(missing)" : Describe(entity);
        }

        return read;
    }

    private static string Key(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.Metadata.Name + "|" + string.Join("|", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));

    private static (string TypeName, string[] Values) ParseKey(string key)
    {
        var parts = key.Split('|');
        return (parts[0], parts[1..]);
    }

    private static object ConvertKey(Type type, string value) =>
        type == typeof(Guid) ? Guid.Parse(value, CultureInfo.InvariantCulture)
        : type == typeof(int) ? int.Parse(value, CultureInfo.InvariantCulture)
        : value;

    /// <summary>Every public scalar property (collections are described as their own rows).</summary>
    private static string Describe(object entity) => string.Join("; ", entity.GetType()
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && (p.PropertyType == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(p.PropertyType)))
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={Format(p.GetValue(entity))}"));

    private static string Format(object? value) => value switch
    {
        null => "null",
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
