using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingPaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("billing_payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.DomainEvents);
        builder.Ignore(p => p.CapturedAmount);
        builder.Ignore(p => p.RefundedAmount);
        builder.Ignore(p => p.RefundableAmount);
        builder.Ignore(p => p.IsFullyRefunded);
        builder.Property(p => p.Provider).HasMaxLength(BillingProvider.MaxLength).IsRequired();
        builder.Property(p => p.ProviderPaymentId).HasMaxLength(BillingColumns.ProviderId).IsRequired();
        builder.Property(p => p.ProviderInvoiceId).HasMaxLength(BillingColumns.ProviderId);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(BillingColumns.Enum);
        builder.Property(p => p.FailureCode).HasMaxLength(BillingColumns.ProviderId);
        builder.ComplexProperty(p => p.Amount, m => BillingMoney.Configure(m, "amount"));
        builder.HasIndex(p => new { p.Provider, p.ProviderPaymentId }).IsUnique();
        builder.HasIndex(p => p.BillingAccountId);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(p => p.BillingAccountId).OnDelete(DeleteBehavior.Restrict);

        builder.HasMany(p => p.Captures).WithOne().HasForeignKey(c => c.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Captures).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        builder.HasMany(p => p.Refunds).WithOne().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Refunds).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
    }
}

internal sealed class BillingPaymentCaptureConfiguration : IEntityTypeConfiguration<PaymentCapture>
{
    public void Configure(EntityTypeBuilder<PaymentCapture> builder)
    {
        builder.ToTable("billing_payment_captures");
        builder.HasKey(c => new { c.PaymentId, c.ProviderChargeId });
        builder.Property(c => c.ProviderChargeId).HasMaxLength(BillingColumns.ProviderId);
        builder.ComplexProperty(c => c.Amount, m => BillingMoney.Configure(m, "amount"));
    }
}

internal sealed class BillingPaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> builder)
    {
        builder.ToTable("billing_payment_refunds");
        builder.HasKey(r => new { r.PaymentId, r.ProviderRefundId });
        builder.Property(r => r.ProviderRefundId).HasMaxLength(BillingColumns.ProviderId);
        builder.Property(r => r.Reason).HasMaxLength(BillingColumns.ProviderId);
        builder.ComplexProperty(r => r.Amount, m => BillingMoney.Configure(m, "amount"));
    }
}
