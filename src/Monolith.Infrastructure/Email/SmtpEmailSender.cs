using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Monolith.Application.Common.Email;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Email;

/// <summary>
/// SMTP through MailKit: one connection per message (a send is rare next to the outbox's batches), implicit TLS on
/// port 465 and required STARTTLS elsewhere when <c>Email:Smtp:EnableSsl</c>, authentication only when a user name is
/// set, a multipart/alternative body (text, then HTML) and a Message-ID derived from the message key so a re-sent
/// message can be recognised as the same one. No protocol logger is attached (it would record the AUTH exchange):
/// errors name the host and port and the server's reply, never credentials.
/// </summary>
internal sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task<Result> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var smtp = settings.Smtp;
        var mail = Build(message, settings.From, smtp.Host!);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, Security(smtp), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(new NetworkCredential(smtp.UserName, smtp.Password), cancellationToken);
            }

            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            LogSent(logger, message.Key, smtp.Host!);
            return Result.Success();
        }
        catch (Exception ex) when (IsSendFailure(ex))
        {
            LogFailed(logger, message.Key, smtp.Host!, smtp.Port, ex.GetType().Name);
            return EmailErrors.SendFailed($"SMTP {smtp.Host}:{smtp.Port} refused or failed: {Describe(ex)}");
        }
    }

    /// <summary>EnableSsl: TLS from the first byte on 465 (RFC 8314), STARTTLS required on any other port; else plain.</summary>
    internal static SecureSocketOptions Security(SmtpEmailOptions smtp) => smtp.EnableSsl
        ? smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls
        : SecureSocketOptions.None;

    internal static MimeMessage Build(EmailMessage message, string from, string host)
    {
        var sender = MailboxAddress.Parse(from);
        var mail = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = $"{message.Key}@{(string.IsNullOrEmpty(sender.Domain) ? host : sender.Domain)}",
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mail.From.Add(sender);
        mail.To.Add(MailboxAddress.Parse(message.To));
        return mail;
    }

    private static bool IsSendFailure(Exception ex) => ex is CommandException or ProtocolException or AuthenticationException
        or SslHandshakeException or IOException or SocketException or TimeoutException or NotSupportedException
        or ParseException;

    /// <summary>The server's reply for a refused command (its status code included), else the failure's own message.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        NotSupportedException => "the server offers no authentication but Email:Smtp:UserName is set",
        _ => ex.Message,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Key} sent through {Host}.")]
    private static partial void LogSent(ILogger logger, string key, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Key} could not be sent through {Host}:{Port} ({Error}); the outbox retries it.")]
    private static partial void LogFailed(ILogger logger, string key, string host, int port, string error);
}
