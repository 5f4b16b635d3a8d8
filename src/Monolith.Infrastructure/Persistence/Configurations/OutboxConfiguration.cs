using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Application.Common.Outbox;
using Monolith.Infrastructure.Outbox;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class OutboxDeliveryConfiguration : IEntityTypeConfiguration<OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<OutboxDelivery> builder)
    {
        builder.ToTable("outbox_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(OutboxMessage.TypeMaxLength).IsRequired();
        builder.Property(d => d.Handler).HasMaxLength(OutboxDelivery.HandlerMaxLength).IsRequired();
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LockedBy).HasMaxLength(OutboxDelivery.LockedByMaxLength);
        builder.Property(d => d.LastError).HasMaxLength(OutboxDelivery.LastErrorMaxLength);
        builder.Property(d => d.HangfireJobId).HasMaxLength(OutboxDelivery.HangfireJobIdMaxLength);
        builder.HasIndex(d => new { d.MessageId, d.Handler }).IsUnique();
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasOne<OutboxMessage>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxProcessedMarkerConfiguration : IEntityTypeConfiguration<OutboxProcessedMarker>
{
    public void Configure(EntityTypeBuilder<OutboxProcessedMarker> builder)
    {
        builder.ToTable("outbox_processed");
        builder.HasKey(p => new { p.MessageId, p.Handler });
        builder.Property(p => p.Handler).HasMaxLength(OutboxDelivery.HandlerMaxLength);
    }
}
