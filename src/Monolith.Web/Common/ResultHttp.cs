using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Monolith.Domain.Common;

namespace Monolith.Web.Common;

/// <summary>The one place where an <see cref="Error"/> becomes HTTP: RFC 9457 ProblemDetails with <c>code</c> and <c>traceId</c>.</summary>
internal static class ResultHttp
{
    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Rule => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Upstream => StatusCodes.Status502BadGateway,
        ErrorKind.NotConfigured => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails ToProblemDetails(Error error, HttpContext context)
    {
        var status = StatusCodeOf(error.Kind);
        var problem = error.Details is { Count: > 0 } details
            ? new ValidationProblemDetails(details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = error.Message;
        problem.Type = $"urn:monolith:problem:{error.Code}";
        problem.Instance = context.Request.Path;
        foreach (var (key, value) in error.Extensions ?? new Dictionary<string, object>())
        {
            problem.Extensions[key] = value;
        }

        problem.Extensions["code"] = error.Code;
        problem.Extensions["traceId"] = TraceId(context);
        return problem;
    }

    public static IResult Problem(Error error, HttpContext context)
    {
        var problem = ToProblemDetails(error, context);
        return Results.Problem(problem);
    }

    /// <summary>200 with the value, or the error as ProblemDetails.</summary>
    public static IResult ToHttp<T>(this Result<T> result, HttpContext context) =>
        result.IsSuccess ? Results.Ok(result.Value) : Problem(result.Error, context);

    public static IResult ToCreated<T>(this Result<T> result, HttpContext context, Func<T, string> location) =>
        result.IsSuccess ? Results.Created(location(result.Value), result.Value) : Problem(result.Error, context);

    public static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;
}
