using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingWebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("billing_webhook_events");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Version).IsConcurrencyToken();
        builder.Ignore(w => w.DomainEvents);
        builder.Property(w => w.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(w => w.ProviderEventId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(w => w.Type).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(w => w.Payload).IsRequired();
        builder.Property(w => w.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(w => w.Error).HasMaxLength(WebhookEvent.MaxErrorLength);
        builder.HasIndex(w => new { w.Provider, w.ProviderEventId }).IsUnique();
        builder.HasIndex(w => new { w.Status, w.ReceivedAt });
    }
}
