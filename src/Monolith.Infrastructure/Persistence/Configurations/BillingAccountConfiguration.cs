using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> builder)
    {
        builder.ToTable("billing_accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.DomainEvents);
        builder.HasIndex(a => a.OrganizationId).IsUnique();
        builder.Property(a => a.BillingEmail).HasMaxLength(BillingAccountErrors.EmailMaxLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.Customers)
            .WithOne()
            .HasForeignKey(c => c.BillingAccountId)
            .OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_billing_provider_customers_billing_accounts");
        builder.Navigation(a => a.Customers).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
    }
}

internal sealed class ProviderCustomerConfiguration : IEntityTypeConfiguration<ProviderCustomer>
{
    public void Configure(EntityTypeBuilder<ProviderCustomer> builder)
    {
        builder.ToTable("billing_provider_customers");
        // One customer per (account, provider), and one account per customer at a provider.
        builder.HasKey(c => new { c.BillingAccountId, c.Provider });
        builder.Property(c => c.Provider).HasMaxLength(BillingProvider.MaxLength);
        builder.Property(c => c.CustomerId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.HasIndex(c => new { c.Provider, c.CustomerId }).IsUnique();
    }
}
