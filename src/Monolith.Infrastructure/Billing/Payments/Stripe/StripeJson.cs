using System.Globalization;
using System.Text.Json;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// A tolerant reader over Stripe JSON: missing, null or differently-typed fields read as absent, and an expandable
/// field (<c>"customer": "cus_…"</c> or <c>"customer": {"id": "cus_…", …}</c>) reads as its id either way.
/// </summary>
internal static class StripeJson
{
    public static JsonElement? Get(this JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
                continue;
            }

            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Str(this JsonElement element, string path) =>
        element.Get(path) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    /// <summary>An expandable reference: the string id, or the <c>id</c> of the expanded object.</summary>
    public static string? Ref(this JsonElement element, string path) => element.Get(path) switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Object } e => e.Str("id"),
        _ => null,
    };

    public static long? Long(this JsonElement element, string path) =>
        element.Get(path) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var value) ? value : null;

    public static bool? Bool(this JsonElement element, string path) => element.Get(path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public static DateTimeOffset? Time(this JsonElement element, string path) =>
        element.Long(path) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static Guid? AccountId(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
