using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingSubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    /// <summary>Valid on PostgreSQL and SQLite alike (SQLite reads FALSE as 0, how EF stores a false bool there).</summary>
    internal const string LiveBasePlanFilter =
        "\"is_add_on\" = FALSE AND \"duplicate_of\" IS NULL AND \"status\" NOT IN ('Canceled', 'IncompleteExpired')";

    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("billing_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.Ignore(s => s.IsTerminal);
        builder.Ignore(s => s.HoldsBasePlanSlot);
        builder.Property(s => s.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(s => s.ProviderSubscriptionId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(s => s.PriceId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.PlanId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.HasIndex(s => new { s.Provider, s.ProviderSubscriptionId }).IsUnique();
        builder.HasIndex(s => s.BillingAccountId);
        // At most one live base-plan subscription per account (Subscription.HoldsBasePlanSlot): add-ons, recorded
        // duplicates and ended subscriptions (canceled, incomplete_expired) do not count.
        builder.HasIndex(s => s.BillingAccountId, "ux_billing_subscriptions_live_base_plan_per_account")
            .IsUnique()
            .HasFilter(LiveBasePlanFilter);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(s => s.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
