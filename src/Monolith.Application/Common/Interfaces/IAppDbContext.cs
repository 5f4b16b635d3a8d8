using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Outbox;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Application.Common.Interfaces;

/// <summary>The Application's view of the database. Handlers never call SaveChanges: the transaction behaviour does.</summary>
public interface IAppDbContext
{
    DbSet<Organization> Organizations { get; }
    DbSet<Membership> Memberships { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<BillingAccount> BillingAccounts { get; }
    DbSet<Subscription> Subscriptions { get; }
    DbSet<Payment> Payments { get; }
    DbSet<Invoice> Invoices { get; }
    DbSet<CheckoutSession> CheckoutSessions { get; }
    DbSet<WebhookEvent> WebhookEvents { get; }
    DbSet<UsageEvent> UsageEvents { get; }
    DbSet<PurchaseFulfilment> Fulfilments { get; }
    DbSet<OpsAuditEntry> OpsAudit { get; }
    DbSet<Billing.Reconciliation.BillingDriftReport> DriftReports { get; }
    DbSet<Domain.Billing.Dunning.DunningReminder> DunningReminders { get; }

    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every tracked change (used after a rollback so nothing half-done is saved later).</summary>
    void DiscardChanges();

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation, on any provider.</summary>
    bool IsUniqueViolation(DbUpdateException exception);
}
