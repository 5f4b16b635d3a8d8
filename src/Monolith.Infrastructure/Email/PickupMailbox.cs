using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Email;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Email;

/// <summary>A message as the pickup folder stores it (one JSON file per message).</summary>
public sealed record PickedUpEmail(string Id, string From, string To, string Subject, string TextBody, string HtmlBody, DateTimeOffset SentAt);

/// <summary>
/// The pickup folder: the default sender writes each message to <c>{key}.json</c> (the same key overwrites the same
/// file, so a re-run of a delivery does not duplicate it), and the development mailbox page lists and reads them.
/// </summary>
public sealed partial class PickupMailbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal PickupMailbox(IOptions<EmailOptions> options, IHostEnvironment environment, TimeProvider clock)
    {
        var configured = options.Value.Pickup.Directory;
        Directory = Path.IsPathRooted(configured) ? configured : Path.Combine(environment.ContentRootPath, configured);
        From = options.Value.From;
        Clock = clock;
    }

    public string Directory { get; }

    private string From { get; }

    private TimeProvider Clock { get; }

    /// <summary>Newest first; at most <paramref name="limit"/> messages.</summary>
    public IReadOnlyList<PickedUpEmail> List(int limit = 200)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return new DirectoryInfo(Directory).EnumerateFiles("*.json")
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Take(limit)
            .Select(f => Read(f.FullName))
            .OfType<PickedUpEmail>()
            .ToList();
    }

    /// <summary>Null for an unknown or malformed id (ids are file names; anything but [A-Za-z0-9._-] is refused).</summary>
    public PickedUpEmail? Find(string id)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var path = Path.Combine(Directory, id + ".json");
        return File.Exists(path) ? Read(path) : null;
    }

    internal async Task WriteAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var id = SafeId(message.Key);
        var email = new PickedUpEmail(id, From, message.To, message.Subject, message.TextBody, message.HtmlBody, Clock.GetUtcNow());
        var temp = Path.Combine(Directory, $".{id}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(email, Json), cancellationToken);
        File.Move(temp, Path.Combine(Directory, id + ".json"), overwrite: true);
    }

    internal static bool IsValidId(string? id) => id is { Length: > 0 and <= 200 } && IdPattern().IsMatch(id) && !id.StartsWith('.');

    private static string SafeId(string key)
    {
        var cleaned = UnsafeChars().Replace(key, "_").TrimStart('.');
        return cleaned.Length is > 0 and <= 200 ? cleaned : Guid.NewGuid().ToString("N");
    }

    private static PickedUpEmail? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PickedUpEmail>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeChars();
}

/// <summary>The default sender: writes to the <see cref="PickupMailbox"/> folder; nothing leaves the machine.</summary>
internal sealed partial class PickupEmailSender(PickupMailbox mailbox, ILogger<PickupEmailSender> logger) : IEmailSender
{
    public async Task<Result> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await mailbox.WriteAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return EmailErrors.SendFailed($"The pickup folder could not be written: {ex.GetType().Name}");
        }

        LogWritten(logger, message.Key, mailbox.Directory);
        return Result.Success();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Key} written to the pickup folder {Directory} (see /_dev/mailbox).")]
    private static partial void LogWritten(ILogger logger, string key, string directory);
}
