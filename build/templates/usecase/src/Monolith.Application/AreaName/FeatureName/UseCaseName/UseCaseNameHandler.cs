using MediatR;
using Monolith.Domain.Common;

namespace Monolith.Application.AreaName.FeatureName.UseCaseName;

internal sealed class UseCaseNameHandler
    : IRequestHandler<UseCaseNameRequestKind, Result<UseCaseNameResult>>
{
    public Task<Result<UseCaseNameResult>> Handle(UseCaseNameRequestKind request, CancellationToken cancellationToken)
    {
#if (isCommand)
        // Domain logic goes in the aggregate: inject IAppDbContext, load it, call one method, return its error or this result.
#else
        // Inject IAppDbContext and project straight into the result with AsNoTracking(); a query never loads aggregates.
#endif
        return Task.FromResult<Result<UseCaseNameResult>>(new UseCaseNameResult(request.SubjectId));
    }
}
