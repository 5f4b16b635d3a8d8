using MediatR;
using Monolith.Application.Common.Jobs;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Jobs.ListRecurringJobs;

/// <summary>The recurring jobs with their schedule, last run and outcome (this instance's view) and next run (ops dashboard).</summary>
public sealed record ListRecurringJobsQuery : IQuery<IReadOnlyList<RecurringJobInfo>>, IOpsRequest;

internal sealed class ListRecurringJobsHandler(IRecurringJobs jobs) : IRequestHandler<ListRecurringJobsQuery, Result<IReadOnlyList<RecurringJobInfo>>>
{
    public async Task<Result<IReadOnlyList<RecurringJobInfo>>> Handle(ListRecurringJobsQuery request, CancellationToken cancellationToken) =>
        Result.Success(await jobs.ListAsync(cancellationToken));
}
