using Monolith.Domain.Common;

namespace Monolith.Application.Common.Email;

/// <summary>
/// Sends one email. Implementations: SMTP (production) and a pickup folder read by the development mailbox page.
/// A failure is a <see cref="Result"/> with an <see cref="EmailErrors"/> code, so an outbox handler retries it.
/// </summary>
public interface IEmailSender
{
    Task<Result> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One message with a plain-text and an HTML body. <paramref name="Key"/> identifies the message for receivers that
/// deduplicate (it becomes the Message-ID and the pickup file name): the same key is the same email.
/// </summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody, string Key);

public static class EmailErrors
{
    public static Error SendFailed(string detail) => Error.Upstream("email.send_failed", detail);

    public static readonly Error RecipientMissing =
        Error.NotFound("email.recipient_missing", "The billing account has no owner with an email address.");
}
