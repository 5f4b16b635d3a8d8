using Monolith.Domain.Common;

namespace Monolith.Application.Common.Jobs;

/// <summary>
/// The recurring jobs as the ops dashboard shows them (Quartz in Infrastructure; docs/jobs.md). Last run and outcome
/// are what this instance saw (each app instance keeps its own; on PostgreSQL any instance may have run a firing).
/// </summary>
public interface IRecurringJobs
{
    Task<IReadOnlyList<RecurringJobInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Fires the job now (once, on whichever instance picks it up). Unknown name → <c>jobs.not_found</c>; disabled → <c>jobs.disabled</c>.</summary>
    Task<Result> TriggerAsync(string name, CancellationToken cancellationToken);
}

/// <param name="Name">Stable id, e.g. <c>billing.reconciliation</c>.</param>
/// <param name="LastOutcome">Null before the first run on this instance; else e.g. "ok: 3 checked, 1 drift" or "failed".</param>
public sealed record RecurringJobInfo(
    string Name, string Description, string Cron, bool Enabled, DateTimeOffset? LastRunAt, string? LastOutcome, string? LastError, DateTimeOffset? NextRunAt);

public static class RecurringJobErrors
{
    public static readonly Error NotFound = Error.NotFound("jobs.not_found", "There is no recurring job with this name.");

    public static readonly Error Disabled = Error.NotConfigured("jobs.disabled", "This job is disabled in the configuration (Jobs:*).");
}
