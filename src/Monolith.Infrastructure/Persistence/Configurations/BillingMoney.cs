using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Persistence.Configurations;

/// <summary>Maps <see cref="Money"/> as two columns: <c>{prefix}_amount_minor</c> (bigint) and <c>{prefix}_currency</c> (varchar(3)).</summary>
internal static class BillingMoney
{
    public const int CurrencyLength = 3;

    public static void Configure(ComplexPropertyBuilder<Money> money, string prefix)
    {
        money.Property(m => m.AmountMinor).HasColumnName($"{prefix}_amount_minor");
        money.Property(m => m.Currency).HasColumnName($"{prefix}_currency").HasMaxLength(CurrencyLength).IsRequired();
    }
}

/// <summary>Column sizes shared by the billing tables.</summary>
internal static class BillingColumns
{
    public const int ProviderId = 255;
    public const int Enum = 32;

    /// <summary>A filter valid on PostgreSQL and SQLite alike (both accept double-quoted identifiers).</summary>
    public static string StatusIs(string status) => $"\"status\" = '{status}'";
}
