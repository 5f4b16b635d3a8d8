using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingSubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("billing_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.Ignore(s => s.IsTerminal);
        builder.Property(s => s.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(s => s.ProviderSubscriptionId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(s => s.PriceId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.PlanId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.HasIndex(s => new { s.Provider, s.ProviderSubscriptionId }).IsUnique();
        builder.HasIndex(s => s.BillingAccountId);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(s => s.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
