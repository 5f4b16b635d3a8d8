using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Fulfilment;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Infrastructure.Persistence.Configurations;

internal sealed class BillingFulfilmentConfiguration : IEntityTypeConfiguration<PurchaseFulfilment>
{
    public void Configure(EntityTypeBuilder<PurchaseFulfilment> builder)
    {
        builder.ToTable("billing_fulfilments");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.Ignore(f => f.DomainEvents);
        builder.ComplexProperty(f => f.Amount, m => BillingMoney.Configure(m, "amount"));
        builder.HasIndex(f => f.PaymentId).IsUnique();
        builder.HasIndex(f => f.BillingAccountId);
        builder.HasOne<Payment>().WithMany().HasForeignKey(f => f.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<BillingAccount>().WithMany().HasForeignKey(f => f.BillingAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
