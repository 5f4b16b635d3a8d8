using System.Text;

namespace Monolith.Domain.Common;

/// <summary>
/// A name shown to people (an organisation's name, a display name): trimmed, non-empty, at most a given length, and
/// free of characters that change how the text around it reads — control characters (NUL, newlines, escape, C1) and
/// the bidirectional-text controls (embeddings, overrides, isolates, marks), which let "exe.pdf" pass for "fdp.exe" in
/// an invoice or an ops list — and of broken UTF-16 (a lone surrogate).
/// </summary>
public readonly record struct DisplayName
{
    private DisplayName(string value) => Value = value;

    public string Value { get; }

    public static readonly Error InvalidCharacters = Error.Validation(
        "names.invalid_characters", "A name cannot contain control characters or text-direction overrides.");

    public static Result<DisplayName> Create(string? value, int maxLength, Error required, Error tooLong)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return required;
        }

        if (!IsClean(trimmed))
        {
            return InvalidCharacters;
        }

        return trimmed.Length > maxLength ? tooLong : new DisplayName(trimmed);
    }

    /// <summary>Whether <paramref name="text"/> holds none of the refused characters.</summary>
    public static bool IsClean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (IsRefused(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="text"/> without the refused characters (for names derived from other input, e.g. an email's local part).</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
            }
            else if (!IsRefused(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    private static bool IsRefused(char c) =>
        char.IsControl(c)
        || char.IsSurrogate(c)
        || c is '\u061C' or '\u200E' or '\u200F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    public override string ToString() => Value;
}
