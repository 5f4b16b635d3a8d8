using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Monolith.Application.Common.Telemetry;

namespace Monolith.Infrastructure.Jobs;

/// <summary>
/// One span per Hangfire job execution (source <see cref="MonolithTelemetry.Name"/>, operation <c>hangfire.job</c>), so a
/// recurring run or a handed-over delivery shows up in traces like a request does: display name = the job's title on
/// the dashboard; tags <c>hangfire.job.id</c>, <c>hangfire.job.name</c>, <c>hangfire.job.type</c>,
/// <c>hangfire.job.retry_count</c> and <c>hangfire.job.outcome</c> (<c>succeeded</c>, <c>failed</c>, <c>canceled</c>); a
/// failure sets the span's status to Error with the exception type. The handler's own spans (outbox.deliver,
/// EF/Npgsql) are its children.
/// </summary>
internal sealed class HangfireJobTelemetryFilter : IServerFilter
{
    public const string ActivityName = "hangfire.job";
    private const string ItemKey = "monolith.activity";

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = MonolithTelemetry.Activities.StartActivity(ActivityName, ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        var name = NameOf(job);
        activity.DisplayName = name;
        activity.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        activity.SetTag("hangfire.job.name", name);
        activity.SetTag("hangfire.job.type", $"{job.Type.Name}.{job.Method.Name}");
        activity.SetTag("hangfire.job.retry_count", context.GetJobParameter<int>(OutboxHandoverFilter.RetryCountParameter, allowStale: true));
        context.Items[ItemKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(ItemKey, out var item) || item is not Activity activity)
        {
            return;
        }

        var outcome = context.Exception switch
        {
            null => "succeeded",
            OperationCanceledException => "canceled",
            _ => "failed",
        };
        activity.SetTag("hangfire.job.outcome", outcome);
        if (context.Exception is { } ex && outcome == "failed")
        {
            var error = ex is JobPerformanceException { InnerException: { } inner } ? inner : ex;
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }

        activity.Dispose();
    }

    /// <summary>The job's title as the dashboard shows it: its <see cref="JobDisplayNameAttribute"/> filled in, else Type.Method.</summary>
    internal static string NameOf(Job job)
    {
        if (job.Method.GetCustomAttribute<JobDisplayNameAttribute>() is { } display)
        {
            try
            {
                return string.Format(CultureInfo.InvariantCulture, display.DisplayName, [.. job.Args]);
            }
            catch (FormatException)
            {
                return display.DisplayName;
            }
        }

        return $"{job.Type.Name}.{job.Method.Name}";
    }
}
