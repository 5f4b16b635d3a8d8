using System.Text;
using System.Text.RegularExpressions;

namespace Monolith.TestSupport.Email;

/// <summary>
/// Just enough MIME to read what System.Net.Mail sends: headers (folded lines, RFC 2047 encoded words) and the
/// text/plain and text/html parts of a multipart body (quoted-printable, base64 or 7/8-bit).
/// </summary>
public sealed partial record ParsedMail(IReadOnlyDictionary<string, string> Headers, string? Text, string? Html)
{
    public string Subject => Headers.GetValueOrDefault("subject") ?? string.Empty;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public static ParsedMail From(string data)
    {
        var (headers, body) = Split(data);
        string? text = null, html = null;
        Collect(headers, body, ref text, ref html);
        return new ParsedMail(headers, text, html);
    }

    private static void Collect(Dictionary<string, string> headers, string body, ref string? text, ref string? html)
    {
        var type = headers.GetValueOrDefault("content-type") ?? "text/plain";
        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && Boundary().Match(type) is { Success: true } boundary)
        {
            var marker = "--" + boundary.Groups[1].Value;
            foreach (var part in body.Split(marker).Skip(1))
            {
                if (part.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                var (partHeaders, partBody) = Split(part.TrimStart('\r', '\n'));
                Collect(partHeaders, partBody, ref text, ref html);
            }

            return;
        }

        var decoded = DecodeBody(body, headers.GetValueOrDefault("content-transfer-encoding"));
        if (type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
        {
            html ??= decoded;
        }
        else if (type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            text ??= decoded;
        }
    }

    private static (Dictionary<string, string> Headers, string Body) Split(string data)
    {
        var end = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? data : data[..end];
        var body = end < 0 ? string.Empty : data[(end + 4)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                headers[current] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                current = line[..colon].Trim().ToLowerInvariant();
                headers[current] = line[(colon + 1)..].Trim();
            }
        }

        foreach (var key in headers.Keys.ToList())
        {
            headers[key] = DecodeWords(headers[key]);
        }

        return (headers, body);
    }

    private static string DecodeBody(string body, string? encoding) => encoding?.Trim().ToLowerInvariant() switch
    {
        "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split("\r\n")).Trim())),
        "quoted-printable" => QuotedPrintable(body, underscoreIsSpace: false),
        _ => body,
    };

    /// <summary>RFC 2047: =?charset?B?…?= and =?charset?Q?…?=, adjacent words joined without the space between.</summary>
    private static string DecodeWords(string value)
    {
        var joined = AdjacentWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m => m.Groups[2].Value.ToUpperInvariant() == "B"
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
            : QuotedPrintable(m.Groups[3].Value, underscoreIsSpace: true));
    }

    private static string QuotedPrintable(string input, bool underscoreIsSpace)
    {
        var bytes = new List<byte>();
        var source = input.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '=' && i + 2 < source.Length && Uri.IsHexDigit(source[i + 1]) && Uri.IsHexDigit(source[i + 2]))
            {
                bytes.Add(Convert.ToByte(source.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '_' && underscoreIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWords();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
