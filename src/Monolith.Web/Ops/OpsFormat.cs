using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Monolith.Web.Ops;

/// <summary>Display helpers for the ops pages (Razor HTML-encodes everything they return).</summary>
internal static class OpsFormat
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Razor encodes the output for HTML; keep the JSON itself readable (no \u003C for '<').
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The payload indented when it is JSON, otherwise as stored.</summary>
    public static string PrettyJson(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return payload;
        }
    }

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Age(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => "0s",
        { TotalMinutes: < 1 } => $"{(int)span.TotalSeconds}s",
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes}m {span.Seconds}s",
        { TotalDays: < 1 } => $"{(int)span.TotalHours}h {span.Minutes}m",
        _ => $"{(int)span.TotalDays}d {span.Hours}h",
    };

    /// <summary>The CSS class of a state badge (deliveries and webhook events share the vocabulary).</summary>
    /// <summary>A handed-over delivery's job on the Hangfire dashboard (every attempt, its exception, requeue / delete).</summary>
    public static string HangfireJobPath(string jobId) => $"/hangfire/jobs/details/{Uri.EscapeDataString(jobId)}";

    public static string StateClass(string state) => state switch
    {
        "Dead" or "Failed" or "HandedOver" or "Abandoned" => "badge state-bad",
        "Succeeded" or "Applied" => "badge state-ok",
        "Processing" or "Parked" or "Received" => "badge state-wait",
        _ => "badge muted",
    };
}
