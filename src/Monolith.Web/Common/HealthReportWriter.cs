using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Monolith.Web.Common;

/// <summary>
/// <c>/health/ready</c> body: the overall status plus one entry per check (database, outbox dispatcher lag, jobs storage)
/// with its status, description and small numeric/text data. Exception details are never written.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
