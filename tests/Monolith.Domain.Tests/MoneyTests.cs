using Monolith.Domain.Common;

namespace Monolith.Domain.Tests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    public void Create_WithInvalidCurrency_Fails(string? currency)
    {
        Assert.Equal("money.currency_invalid", Money.Create(100, currency).Error!.Code);
    }

    [Fact]
    public void Create_NormalisesCurrencyToUpperCase()
    {
        Assert.Equal("EUR", Money.Create(100, "eur").Value.Currency);
    }

    [Fact]
    public void Add_SameCurrency_SumsMinorUnits()
    {
        var sum = Money.Create(1999, "USD").Value.Add(Money.Create(1, "USD").Value);

        Assert.Equal(2000, sum.Value.AmountMinor);
    }

    [Fact]
    public void Subtract_DifferentCurrency_FailsWithMismatch()
    {
        var result = Money.Create(100, "USD").Value.Subtract(Money.Create(100, "EUR").Value);

        Assert.Equal("money.currency_mismatch", result.Error!.Code);
    }

    [Fact]
    public void Add_Overflow_Throws()
    {
        Assert.Throws<OverflowException>(() => Money.Create(long.MaxValue, "USD").Value.Add(Money.Create(1, "USD").Value));
    }
}
