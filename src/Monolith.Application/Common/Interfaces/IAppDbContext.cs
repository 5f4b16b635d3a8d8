using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Application.Common.Interfaces;

/// <summary>The Application's view of the database. Handlers never call SaveChanges: the transaction behaviour does.</summary>
public interface IAppDbContext
{
    DbSet<Organization> Organizations { get; }
    DbSet<Membership> Memberships { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }

    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every tracked change (used after a rollback so nothing half-done is saved later).</summary>
    void DiscardChanges();

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation, on any provider.</summary>
    bool IsUniqueViolation(DbUpdateException exception);
}
