using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingCheckoutSessionConfiguration : IEntityTypeConfiguration<CheckoutSession>
{
    public void Configure(EntityTypeBuilder<CheckoutSession> builder)
    {
        builder.ToTable("billing_checkout_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.Property(s => s.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(s => s.ProviderSessionId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.PriceId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(s => s.Mode).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(s => s.ProviderResultId).HasMaxLength(BillingColumns.ProviderId);
        builder.Property(s => s.Url).HasMaxLength(2048);
        builder.HasIndex(s => new { s.Provider, s.ProviderSessionId }).IsUnique();
        // At most one open session per (account, price); completed and expired ones do not count.
        builder.HasIndex(s => new { s.BillingAccountId, s.PriceId })
            .IsUnique()
            .HasFilter(BillingColumns.StatusIs(nameof(CheckoutStatus.Open)))
            .HasDatabaseName("ux_billing_checkout_sessions_open_per_price");
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(s => s.BillingAccountId).OnDelete(DeleteBehavior.Restrict)
            .HasConstraintName("fk_billing_checkout_sessions_billing_accounts");
    }
}
