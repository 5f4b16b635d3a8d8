using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Usage;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingUsageEventConfiguration : IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<UsageEvent> builder)
    {
        builder.ToTable("billing_usage_events");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.Ignore(u => u.DomainEvents);
        builder.Property(u => u.FeatureId).HasMaxLength(64).IsRequired();
        builder.Property(u => u.IdempotencyKey).HasMaxLength(UsageEvent.MaxIdempotencyKeyLength).IsRequired();
        builder.Property(u => u.Mode).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.HasIndex(u => new { u.BillingAccountId, u.IdempotencyKey }).IsUnique();
        builder.HasIndex(u => new { u.BillingAccountId, u.FeatureId, u.PeriodStart })
            .HasDatabaseName("ix_billing_usage_events_account_feature_period");
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(u => u.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
