using Monolith.Domain.Common;

namespace Monolith.Domain.Billing;

/// <summary>
/// The payment provider discriminator ("stripe", "inmemory"): a lower-case slug, compared ordinally.
/// </summary>
public static class BillingProvider
{
    public const string Stripe = "stripe";
    public const string InMemory = "inmemory";
    public const int MaxLength = 32;

    public static readonly Error Invalid =
        Error.Validation("billing.provider.invalid", $"A provider is a lower-case slug of 1 to {MaxLength} characters.");

    public static Result<string> Normalize(string? provider)
    {
        var trimmed = provider?.Trim().ToLowerInvariant() ?? string.Empty;
        return trimmed.Length is > 0 and <= MaxLength && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? trimmed
            : Invalid;
    }
}

/// <summary>Validation shared by the billing aggregates for identifiers issued by a provider or by the catalogue.</summary>
internal static class BillingIds
{
    public const int MaxLength = 255;

    public static Result<string> Require(string? value, Error whenInvalid)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        return trimmed.Length is > 0 and <= MaxLength ? trimmed : whenInvalid;
    }

    public static bool IsSlug(string value) =>
        value.Length is > 0 and <= 64
        && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
