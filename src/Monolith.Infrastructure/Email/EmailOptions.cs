using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Monolith.Infrastructure.Email;

public enum EmailSenderKind
{
    /// <summary>Default: each message is a file in a folder, shown by the development mailbox page.</summary>
    Pickup,

    /// <summary>Production: MailKit over SMTP.</summary>
    Smtp,
}

/// <summary>Section <c>Email</c> (env <c>Email__…</c>), validated at start-up. Never logged (it holds the SMTP password).</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailSenderKind Sender { get; set; } = EmailSenderKind.Pickup;

    /// <summary>The From address, e.g. <c>Monolith Billing &lt;billing@example.com&gt;</c>.</summary>
    public string From { get; set; } = "Monolith <no-reply@localhost>";

    public PickupEmailOptions Pickup { get; set; } = new();

    public SmtpEmailOptions Smtp { get; set; } = new();
}

public sealed class PickupEmailOptions
{
    /// <summary>Folder for the message files; relative paths are under the content root. Default <c>App_Data/mail</c>.</summary>
    public string Directory { get; set; } = Path.Combine("App_Data", "mail");
}

public sealed class SmtpEmailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>Implicit TLS on port 465, required STARTTLS on any other port; false sends in plain text (loopback relays, tests).</summary>
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public override string ToString() => $"{Host}:{Port} (ssl {EnableSsl}, user {(UserName is null ? "none" : "set")}, password {(Password is null ? "none" : "***")})";
}

internal sealed class EmailOptionsValidator(IConfiguration configuration) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        List<string> failures = [];
        if (!Enum.IsDefined(options.Sender))
        {
            failures.Add("Email:Sender (env Email__Sender) must be Pickup or Smtp.");
        }

        if (!MailboxAddress.TryParse(options.From, out var from) || string.IsNullOrEmpty(from.Domain))
        {
            failures.Add("Email:From (env Email__From) must be an email address, optionally with a display name.");
        }

        if (options.Sender == EmailSenderKind.Pickup && string.IsNullOrWhiteSpace(options.Pickup.Directory))
        {
            failures.Add("Email:Pickup:Directory (env Email__Pickup__Directory) must name a folder.");
        }

        if (options.Sender == EmailSenderKind.Smtp)
        {
            var smtp = options.Smtp;
            if (string.IsNullOrWhiteSpace(smtp.Host))
            {
                failures.Add("Email:Smtp:Host (env Email__Smtp__Host) is required when Email:Sender is Smtp.");
            }

            if (smtp.Port is < 1 or > 65535)
            {
                failures.Add("Email:Smtp:Port (env Email__Smtp__Port) must be between 1 and 65535.");
            }

            if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
            {
                failures.Add("Email:Smtp:UserName and Email:Smtp:Password (env Email__Smtp__…) are set together or not at all.");
            }

            if (smtp.Timeout < TimeSpan.FromSeconds(1) || smtp.Timeout > TimeSpan.FromMinutes(5))
            {
                failures.Add("Email:Smtp:Timeout (env Email__Smtp__Timeout) must be between 00:00:01 and 00:05:00.");
            }

            // Emails are composed outside any request: their links need the configured public origin.
            if (!Uri.TryCreate(configuration["App:PublicBaseUrl"], UriKind.Absolute, out _))
            {
                failures.Add("App:PublicBaseUrl (env App__PublicBaseUrl) is required when Email:Sender is Smtp (links in emails are absolute).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
