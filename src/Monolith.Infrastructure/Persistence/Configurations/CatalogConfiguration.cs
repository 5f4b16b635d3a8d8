using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Infrastructure.Billing.Catalog;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class CatalogProductConfiguration : IEntityTypeConfiguration<CatalogProduct>
{
    public void Configure(EntityTypeBuilder<CatalogProduct> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(CatalogProduct.IdMaxLength).ValueGeneratedNever();
        builder.Property(p => p.Name).IsRequired();
        builder.Property(p => p.Features).IsRequired();
        builder.Property(p => p.Limits).IsRequired();
    }
}

internal sealed class CatalogPriceConfiguration : IEntityTypeConfiguration<CatalogPrice>
{
    public void Configure(EntityTypeBuilder<CatalogPrice> builder)
    {
        builder.ToTable("prices");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(CatalogPrice.IdMaxLength).ValueGeneratedNever();
        builder.Property(p => p.ProductId).HasMaxLength(CatalogProduct.IdMaxLength).IsRequired();
        builder.Property(p => p.Currency).HasMaxLength(BillingMoney.CurrencyLength).IsRequired();
        builder.Property(p => p.Interval).HasMaxLength(CatalogPrice.IntervalMaxLength).IsRequired();
        builder.HasOne<CatalogProduct>().WithMany().HasForeignKey(p => p.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.ProviderIds).WithOne().HasForeignKey(p => p.PriceId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.ProviderIds).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CatalogPriceProviderIdConfiguration : IEntityTypeConfiguration<CatalogPriceProviderId>
{
    public void Configure(EntityTypeBuilder<CatalogPriceProviderId> builder)
    {
        builder.ToTable("price_provider_ids");
        builder.HasKey(p => new { p.PriceId, p.Provider });
        builder.Property(p => p.PriceId).HasMaxLength(CatalogPrice.IdMaxLength);
        builder.Property(p => p.Provider).HasMaxLength(BillingProvider.MaxLength);
        builder.Property(p => p.ProviderPriceId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.HasIndex(p => new { p.Provider, p.ProviderPriceId }).IsUnique();
    }
}
