using System.Text;
using MimeKit;

namespace Monolith.TestSupport.Email;

/// <summary>
/// A received message read by MimeKit: its headers and its body's (decoded, names lower-case) and the text/plain and
/// text/html bodies.
/// </summary>
public sealed record ParsedMail(IReadOnlyDictionary<string, string> Headers, string? Text, string? Html)
{
    public string Subject => Headers.GetValueOrDefault("subject") ?? string.Empty;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public static ParsedMail From(string data)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(data));
        var message = MimeMessage.Load(stream);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Headers.Concat(message.Body?.Headers ?? []))
        {
            headers.TryAdd(header.Field.ToLowerInvariant(), header.Value);
        }

        return new ParsedMail(headers, message.TextBody, message.HtmlBody);
    }
}
