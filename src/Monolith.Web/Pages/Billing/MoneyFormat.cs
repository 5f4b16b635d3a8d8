using System.Globalization;

namespace Monolith.Web.Pages.Billing;

/// <summary>Minor units to a display string, e.g. 1900 EUR → "€19.00". Display only; arithmetic stays in minor units.</summary>
internal static class MoneyFormat
{
    public static string Format(long amountMinor, string currency)
    {
        var digits = currency.ToUpperInvariant() is "JPY" or "KRW" or "VND" or "CLP" ? 0 : 2;
        var major = digits == 0 ? amountMinor.ToString(CultureInfo.InvariantCulture)
            : $"{amountMinor / 100}.{Math.Abs(amountMinor % 100):00}";
        var symbol = currency.ToUpperInvariant() switch { "EUR" => "€", "USD" => "$", "GBP" => "£", _ => string.Empty };
        return symbol.Length > 0 ? $"{symbol}{major}" : $"{major} {currency.ToUpperInvariant()}";
    }
}
