using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Infrastructure.Billing;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingPendingProviderEventConfiguration : IEntityTypeConfiguration<PendingProviderEventRecord>
{
    public void Configure(EntityTypeBuilder<PendingProviderEventRecord> builder)
    {
        builder.ToTable("billing_pending_provider_events");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(p => p.ProviderEventId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(p => p.WaitKey).HasMaxLength(PendingProviderEventRecord.WaitKeyMaxLength).IsRequired();
        builder.Property(p => p.EventType).HasMaxLength(PendingProviderEventRecord.EventTypeMaxLength).IsRequired();
        builder.Property(p => p.Payload).IsRequired();
        builder.Property(p => p.Reason).HasMaxLength(PendingProviderEventRecord.ReasonMaxLength).IsRequired();
        builder.HasIndex(p => new { p.Provider, p.ProviderEventId, p.WaitKey }).IsUnique()
            .HasDatabaseName("ux_billing_pending_provider_events_event_wait_key");
        builder.HasIndex(p => p.WaitKey);
    }
}
