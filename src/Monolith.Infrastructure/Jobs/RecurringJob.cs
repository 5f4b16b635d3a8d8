using System.Collections.Concurrent;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Domain.Common;
using Quartz;

namespace Monolith.Infrastructure.Jobs;

/// <summary>One run of a job on this instance: when it was scheduled for, when it ran, and how it ended.</summary>
public sealed record JobRunRecord(string Job, DateTimeOffset? ScheduledFor, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string? Error);

/// <summary>What this instance ran (the ops dashboard's "last run"; tests count fires from it). Bounded per job.</summary>
public sealed class JobRunLog
{
    private const int Keep = 100;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JobRunRecord>> _runs = new(StringComparer.Ordinal);

    public void Record(JobRunRecord run)
    {
        var queue = _runs.GetOrAdd(run.Job, _ => new ConcurrentQueue<JobRunRecord>());
        queue.Enqueue(run);
        while (queue.Count > Keep && queue.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<JobRunRecord> Runs(string job) => _runs.TryGetValue(job, out var queue) ? [.. queue] : [];

    public JobRunRecord? Last(string job) => Runs(job) is { Count: > 0 } runs ? runs[^1] : null;
}

/// <summary>
/// The shape every recurring job has: select due ids in one scope, then send one command per id, each in its own DI
/// scope (its own DbContext and transaction), so one failure never undoes the others. Commands are idempotent, so a
/// run that overlaps or repeats another changes nothing. The outcome goes to <see cref="JobRunLog"/>.
/// </summary>
internal abstract partial class RecurringJob(IServiceScopeFactory scopes, JobRunLog log, TimeProvider clock, ILogger logger) : IJob
{
    public abstract string Name { get; }

    protected TimeProvider Clock => clock;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow();
        try
        {
            var outcome = await RunAsync(cancellationToken);
            log.Record(new JobRunRecord(Name, context.ScheduledFireTimeUtc, started, clock.GetUtcNow(), $"ok: {outcome}", null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, Name, ex);
            log.Record(new JobRunRecord(Name, context.ScheduledFireTimeUtc, started, clock.GetUtcNow(), "failed", $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>Runs the job once; returns a short summary ("3 checked, 1 changed").</summary>
    public abstract Task<string> RunAsync(CancellationToken cancellationToken);

    protected async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    protected Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken) =>
        InScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(request, cancellationToken));

    /// <summary>Sends one command per id and counts how they ended.</summary>
    protected async Task<string> SendEachAsync<TId, TResult>(
        IReadOnlyList<TId> ids, Func<TId, IRequest<Result<TResult>>> command, Func<TResult, bool> changed, CancellationToken cancellationToken)
    {
        int changes = 0, unchanged = 0, failed = 0;
        foreach (var id in ids)
        {
            var result = await SendAsync(command(id), cancellationToken);
            if (result.IsFailure)
            {
                failed++;
                LogCommandFailed(logger, Name, result.Error.Code);
            }
            else if (changed(result.Value))
            {
                changes++;
            }
            else
            {
                unchanged++;
            }
        }

        return $"{ids.Count} due, {changes} changed, {unchanged} unchanged, {failed} not applied";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recurring job {Job} failed")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Job}: a command ended with {Code}")]
    private static partial void LogCommandFailed(ILogger logger, string job, string code);
}
