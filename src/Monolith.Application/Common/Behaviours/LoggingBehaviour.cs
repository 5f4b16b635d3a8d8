using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>Outermost behaviour: logs the use case's name, outcome code and duration — never the request's contents.</summary>
internal sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await next();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var name = typeof(TRequest).Name;

        if (response is IResultBase { IsSuccess: false, Error: { } error })
        {
            logger.LogInformation("{UseCase} refused with {ErrorCode} in {ElapsedMs:0.0} ms", name, error.Code, elapsed.TotalMilliseconds);
        }
        else
        {
            logger.LogDebug("{UseCase} succeeded in {ElapsedMs:0.0} ms", name, elapsed.TotalMilliseconds);
        }

        return response;
    }
}
