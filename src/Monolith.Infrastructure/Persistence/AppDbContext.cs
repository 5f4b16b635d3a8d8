using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Billing;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Outbox;
using Npgsql;

namespace Monolith.Infrastructure.Persistence;

/// <summary>
/// The one DbContext, for PostgreSQL and SQLite alike. Saving bumps the version of every changed aggregate
/// (optimistic concurrency) and turns raised domain events into outbox rows in the same transaction — already fanned
/// out into one delivery per registered handler (<see cref="IOutboxHandlerNames"/>), so the workers can claim them
/// the moment the transaction commits, without a dispatcher round (and its commit) per message. Without a registry
/// (design-time and CLI contexts) messages are left for the dispatcher.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options, TimeProvider clock, IOutboxHandlerNames? handlers = null)
    : IdentityDbContext<ApplicationUser, ApplicationRole, Guid>(options), IAppDbContext
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<CheckoutSession> CheckoutSessions => Set<CheckoutSession>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();
    public DbSet<PurchaseFulfilment> Fulfilments => Set<PurchaseFulfilment>();
    public DbSet<OpsAuditEntry> OpsAudit => Set<OpsAuditEntry>();
    public DbSet<Application.Billing.Reconciliation.BillingDriftReport> DriftReports => Set<Application.Billing.Reconciliation.BillingDriftReport>();
    public DbSet<Domain.Billing.Dunning.DunningReminder> DunningReminders => Set<Domain.Billing.Dunning.DunningReminder>();
    internal DbSet<OutboxDelivery> OutboxDeliveries => Set<OutboxDelivery>();
    internal DbSet<OutboxProcessedMarker> OutboxProcessed => Set<OutboxProcessedMarker>();
    internal DbSet<PendingProviderEventRecord> PendingProviderEvents => Set<PendingProviderEventRecord>();
    internal DbSet<CatalogProduct> CatalogProducts => Set<CatalogProduct>();
    internal DbSet<CatalogPrice> CatalogPrices => Set<CatalogPrice>();
    internal DbSet<CatalogPriceProviderId> CatalogPriceProviderIds => Set<CatalogPriceProviderId>();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        CaptureAggregateChanges();
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        CaptureAggregateChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public void DiscardChanges() => ChangeTracker.Clear();

    public bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApplicationUser>().ToTable("users");
        builder.Entity<ApplicationRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no timestamp type and EF cannot compare DateTimeOffset stored as text: store UTC ticks.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private void CaptureAggregateChanges()
    {
        var now = clock.GetUtcNow();
        foreach (var entry in ChangeTracker.Entries<IHasDomainEvents>().ToList())
        {
            var aggregate = entry.Entity;
            if (entry.State == EntityState.Modified || (entry.State == EntityState.Unchanged && aggregate.DomainEvents.Count > 0))
            {
                aggregate.IncrementVersion();
                entry.State = EntityState.Modified;
            }

            foreach (var domainEvent in aggregate.DomainEvents)
            {
                var type = domainEvent.GetType();
                var message = new OutboxMessage(Guid.NewGuid(), type.Name, JsonSerializer.Serialize(domainEvent, type, EventJson), domainEvent.OccurredAt, now);
                OutboxMessages.Add(message);
                if (handlers is not null)
                {
                    foreach (var handler in handlers.For(message.Type))
                    {
                        OutboxDeliveries.Add(new OutboxDelivery(Guid.NewGuid(), message.Id, message.Type, handler, now));
                    }

                    message.MarkDispatched(now);
                }
            }

            aggregate.ClearDomainEvents();
        }
    }
}
