using System.Globalization;

namespace Monolith.Domain.Common;

/// <summary>An amount in minor units (cents) of an ISO-4217 currency. Never decimal, never double.</summary>
public readonly record struct Money
{
    private Money(long amountMinor, string currency)
    {
        AmountMinor = amountMinor;
        Currency = currency;
    }

    public long AmountMinor { get; }
    public string Currency { get; }

    public static Result<Money> Create(long amountMinor, string? currency)
    {
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            return Error.Validation("money.currency_invalid", "Currency must be a three-letter ISO-4217 code.");
        }

        return new Money(amountMinor, currency.ToUpperInvariant());
    }

    public static Money Zero(string currency) => Create(0, currency).Value;

    public Result<Money> Add(Money other) =>
        SameCurrency(other) ? new Money(checked(AmountMinor + other.AmountMinor), Currency) : CurrencyMismatch(other);

    public Result<Money> Subtract(Money other) =>
        SameCurrency(other) ? new Money(checked(AmountMinor - other.AmountMinor), Currency) : CurrencyMismatch(other);

    public bool IsNegative => AmountMinor < 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{AmountMinor} {Currency} (minor units)");

    private bool SameCurrency(Money other) => string.Equals(Currency, other.Currency, StringComparison.Ordinal);

    private Error CurrencyMismatch(Money other) =>
        Error.Rule("money.currency_mismatch", $"Cannot combine {Currency} with {other.Currency}.");
}
