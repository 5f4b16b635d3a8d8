using Hangfire;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Jobs;

/// <summary>
/// The shape every recurring job has: select due ids in one scope, then send one command per id, each in its own DI
/// scope (its own DbContext and transaction), so one failure never undoes the others. Commands are idempotent, so a
/// run that overlaps or repeats another changes nothing. Hangfire runs <see cref="ExecuteAsync"/> (docs/jobs.md): the
/// returned summary is the job's result on the dashboard, an exception leaves the run Failed there.
/// </summary>
internal abstract partial class RecurringJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger)
{
    /// <summary>How long a firing waits for a still-running previous run of the same job before it fails (visibly).</summary>
    public const int ConcurrencyTimeoutSeconds = 60;

    public abstract string Name { get; }

    protected TimeProvider Clock => clock;

    /// <summary>
    /// Hangfire's entry point. <paramref name="job"/> is the job's name (its title on the dashboard). One run at a time
    /// per job across every instance (a distributed lock per job type); not retried by Hangfire — the next firing is
    /// the retry, and a failed run stays on the dashboard.
    /// </summary>
    [JobDisplayName("{0}")]
    [DisableConcurrentExecution(ConcurrencyTimeoutSeconds)]
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public async Task<string> ExecuteAsync(string job, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, Name, ex);
            throw;
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
