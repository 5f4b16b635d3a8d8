using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monolith.TestSupport.Email;

/// <summary>
/// One message as the SMTP server received it: the envelope, the raw DATA (dot-stuffing removed) and the user the
/// session authenticated as (null without AUTH).
/// </summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, string Data, string? AuthenticatedAs)
{
    public ParsedMail Parse() => ParsedMail.From(Data);
}

/// <summary>
/// A small SMTP server on 127.0.0.1 (a random port) for tests: enough of RFC 5321 for MailKit — EHLO/HELO,
/// AUTH PLAIN/LOGIN (RFC 4954; offered and then required only when the server is given a user name and password),
/// MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT; no TLS. Every accepted message is kept in <see cref="Received"/>.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly Task _accepting;

    private readonly (string UserName, string Password)? _credentials;

    public SmtpTestServer((string UserName, string Password)? credentials = null)
    {
        _credentials = credentials;
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Received => _received.ToArray();

    /// <summary>Reply to MAIL FROM with a transient failure (451) while true.</summary>
    public bool RefuseMail { get; set; }

    /// <summary>How many AUTH attempts were refused (wrong user name or password).</summary>
    public int RefusedLogins => _refusedLogins;

    private int _refusedLogins;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(ct);
            _ = Task.Run(() => SessionAsync(client, ct), ct);
        }
    }

    private async Task SessionAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP ready");
            string? user = null;
            string? from = null;
            var recipients = new List<string>();
            while (!ct.IsCancellationRequested && await reader.ReadLineAsync(ct) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        if (_credentials is not null)
                        {
                            await writer.WriteLineAsync("250-AUTH PLAIN LOGIN");
                        }

                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "AUTH" when _credentials is null || user is not null:
                        await writer.WriteLineAsync("503 5.5.1 AUTH not available");
                        break;
                    case "AUTH":
                        user = await AuthenticateAsync(line, reader, writer, ct);
                        break;
                    case "MAIL" when _credentials is not null && user is null:
                        await writer.WriteLineAsync("530 5.7.0 Authentication required");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "MAIL" when RefuseMail:
                        await writer.WriteLineAsync("451 4.3.0 Try again later");
                        break;
                    case "MAIL":
                        from = Address(line);
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT" when from is null:
                        await writer.WriteLineAsync("503 5.5.1 MAIL first");
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA" when from is null || recipients.Count == 0:
                        await writer.WriteLineAsync("503 5.5.1 MAIL and RCPT first");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = await ReadDataAsync(reader, ct);
                        _received.Enqueue(new ReceivedMail(from, recipients.ToList(), data, user));
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
    }

    /// <summary>AUTH PLAIN (initial response or after a 334) or AUTH LOGIN; the user name on success, else null (535).</summary>
    private async Task<string?> AuthenticateAsync(string line, StreamReader reader, StreamWriter writer, CancellationToken ct)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mechanism = words.Length > 1 ? words[1].ToUpperInvariant() : string.Empty;
        string? userName = null, password = null;
        if (mechanism == "PLAIN")
        {
            var response = words.Length > 2 ? words[2] : await ChallengeAsync(string.Empty, reader, writer, ct);
            var parts = Decode(response).Split('\0');
            (userName, password) = parts.Length == 3 ? (parts[1], parts[2]) : (null, null);
        }
        else if (mechanism == "LOGIN")
        {
            userName = Decode(words.Length > 2 ? words[2] : await ChallengeAsync("Username:", reader, writer, ct));
            password = Decode(await ChallengeAsync("Password:", reader, writer, ct));
        }
        else
        {
            await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
            return null;
        }

        if (_credentials is { } expected && userName == expected.UserName && password == expected.Password)
        {
            await writer.WriteLineAsync("235 2.7.0 Authentication successful");
            return userName;
        }

        Interlocked.Increment(ref _refusedLogins);
        await writer.WriteLineAsync("535 5.7.8 Authentication credentials invalid");
        return null;
    }

    private static async Task<string> ChallengeAsync(string prompt, StreamReader reader, StreamWriter writer, CancellationToken ct)
    {
        await writer.WriteLineAsync("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(prompt)));
        return await reader.ReadLineAsync(ct) ?? string.Empty;
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }

    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line && line != ".")
        {
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    /// <summary>The address between angle brackets of "MAIL FROM:&lt;a@b&gt;" or "RCPT TO:&lt;a@b&gt; …".</summary>
    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
