using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Email;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Email;

/// <summary>
/// SMTP through System.Net.Mail (MailKit is unavailable): one client per message (SmtpClient is not thread-safe),
/// a multipart/alternative body (text, then HTML), and a Message-ID derived from the message key so a re-sent
/// message can be recognised as the same one. The password is never logged; errors name the host, never credentials.
/// </summary>
internal sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task<Result> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var smtp = settings.Smtp;
        using var mail = Build(message, settings.From, smtp.Host!);
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)smtp.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }

        try
        {
            await client.SendMailAsync(mail, cancellationToken);
            LogSent(logger, message.Key, smtp.Host!);
            return Result.Success();
        }
        catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException)
        {
            LogFailed(logger, message.Key, smtp.Host!, smtp.Port, ex.GetType().Name);
            return EmailErrors.SendFailed($"SMTP {smtp.Host}:{smtp.Port} refused or failed: {ex.Message}");
        }
    }

    internal static MailMessage Build(EmailMessage message, string from, string host)
    {
        var mail = new MailMessage
        {
            From = new MailAddress(from),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        mail.To.Add(new MailAddress(message.To));
        mail.Headers["Message-ID"] = $"<{message.Key}@{MessageIdDomain(from, host)}>";
        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        return mail;
    }

    private static string MessageIdDomain(string from, string host) =>
        MailAddress.TryCreate(from, out var address) ? address.Host : host;

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Key} sent through {Host}.")]
    private static partial void LogSent(ILogger logger, string key, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Key} could not be sent through {Host}:{Port} ({Error}); the outbox retries it.")]
    private static partial void LogFailed(ILogger logger, string key, string host, int port, string error);
}
