using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingInvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public const int UrlLength = 2048;

    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.ToTable("billing_invoices");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Ignore(i => i.DomainEvents);
        builder.Property(i => i.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(i => i.ProviderInvoiceId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(i => i.ProviderSubscriptionId).HasMaxLength(BillingColumns.ProviderId);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(i => i.HostedUrl).HasMaxLength(UrlLength);
        builder.Property(i => i.PdfUrl).HasMaxLength(UrlLength);
        builder.ComplexProperty(i => i.AmountDue, m => BillingMoney.Configure(m, "amount_due"));
        builder.ComplexProperty(i => i.AmountPaid, m => BillingMoney.Configure(m, "amount_paid"));
        builder.HasIndex(i => new { i.Provider, i.ProviderInvoiceId }).IsUnique();
        builder.HasIndex(i => i.BillingAccountId);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(i => i.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
