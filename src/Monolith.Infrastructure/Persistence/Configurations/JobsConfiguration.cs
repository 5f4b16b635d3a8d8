using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Application.Billing.Reconciliation;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Dunning;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingDriftReportConfiguration : IEntityTypeConfiguration<BillingDriftReport>
{
    public void Configure(EntityTypeBuilder<BillingDriftReport> builder)
    {
        builder.ToTable("billing_drift_reports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.ObjectKind).HasMaxLength(BillingDriftReport.KindMaxLength).IsRequired();
        builder.Property(r => r.Provider).HasMaxLength(BillingDriftReport.ProviderMaxLength).IsRequired();
        builder.Property(r => r.ProviderObjectId).HasMaxLength(BillingDriftReport.ProviderObjectIdMaxLength).IsRequired();
        builder.Property(r => r.Before).HasMaxLength(BillingDriftReport.SummaryMaxLength).IsRequired();
        builder.Property(r => r.After).HasMaxLength(BillingDriftReport.SummaryMaxLength).IsRequired();
        builder.Property(r => r.Changes).HasMaxLength(BillingDriftReport.SummaryMaxLength).IsRequired();
        builder.HasIndex(r => r.DetectedAt);
        builder.HasIndex(r => new { r.BillingAccountId, r.DetectedAt });
    }
}

internal sealed class DunningReminderConfiguration : IEntityTypeConfiguration<DunningReminder>
{
    public void Configure(EntityTypeBuilder<DunningReminder> builder)
    {
        builder.ToTable("billing_dunning_reminders");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.DomainEvents);
        builder.HasIndex(r => new { r.SubscriptionId, r.Slot }).IsUnique();
        builder.HasOne<Subscription>().WithMany().HasForeignKey(r => r.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(r => r.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
