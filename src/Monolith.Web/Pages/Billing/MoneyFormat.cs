using System.Globalization;

namespace Monolith.Web.Pages.Billing;

/// <summary>
/// Minor units to a display string by the currency's own exponent (ISO 4217, the list Stripe uses): 1900 EUR → "€19.00",
/// 500 JPY → "¥500", 1234567 USD → "$12,345.67", -1500 EUR → "-€15.00" (a credit). Display only; arithmetic stays in
/// minor units.
/// </summary>
internal static class MoneyFormat
{
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.Ordinal) { "BHD", "JOD", "KWD", "OMR", "TND" };

    public static string Format(long amountMinor, string currency)
    {
        var code = currency.ToUpperInvariant();
        var digits = ZeroDecimal.Contains(code) ? 0 : ThreeDecimal.Contains(code) ? 3 : 2;
        var major = (Math.Abs((decimal)amountMinor) / Pow10(digits)).ToString("N" + digits, CultureInfo.InvariantCulture);
        var sign = amountMinor < 0 ? "-" : string.Empty;
        var symbol = code switch { "EUR" => "€", "USD" => "$", "GBP" => "£", "JPY" => "¥", _ => string.Empty };
        return symbol.Length > 0 ? $"{sign}{symbol}{major}" : $"{sign}{major} {code}";
    }

    private static decimal Pow10(int digits) => digits switch { 0 => 1m, 3 => 1000m, _ => 100m };
}
