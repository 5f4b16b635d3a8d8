using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Application.Ops.Audit;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class OpsAuditConfiguration : IEntityTypeConfiguration<OpsAuditEntry>
{
    public void Configure(EntityTypeBuilder<OpsAuditEntry> builder)
    {
        builder.ToTable("ops_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ActorEmail).HasMaxLength(OpsAuditEntry.EmailMaxLength).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(OpsAuditEntry.ActionMaxLength).IsRequired();
        builder.Property(a => a.TargetKind).HasMaxLength(OpsAuditEntry.TargetKindMaxLength).IsRequired();
        builder.Property(a => a.TargetId).HasMaxLength(OpsAuditEntry.TargetIdMaxLength).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(OpsAuditEntry.DetailMaxLength);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.TargetId);
    }
}
