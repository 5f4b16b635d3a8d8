using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Monolith.Web.Common;

/// <summary>
/// Bugs and infrastructure faults: logged once here, answered with a generic 500 that reveals no internals.
/// API and webhook callers get ProblemDetails; people get the error page.
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger, IProblemDetailsService problems)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException json } badJson)
        {
            // Strict JSON: a number sent as a string, a fraction for a whole number, a value out of range, malformed JSON.
            return await WriteAsync(httpContext, badJson.StatusCode, "request.json_invalid",
                $"The request body is not valid for this endpoint at {json.Path ?? "$"} (numbers must be JSON numbers of the right kind and range).", exception);
        }

        if (exception is BadHttpRequestException bad)
        {
            return await WriteAsync(httpContext, bad.StatusCode, "request.invalid", "The request could not be read.", exception);
        }

        // UseExceptionHandler("/error") has already pointed Request.Path at the error page: the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerFeature>()?.Path is { Length: > 0 } original ? new PathString(original) : httpContext.Request.Path;
        logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, path);
        if (!IsMachineEndpoint(path))
        {
            return false;
        }

        return await WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "server.error",
            "Something went wrong on our side. It has been logged.", exception);
    }

    public static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/health");

    private async ValueTask<bool> WriteAsync(HttpContext context, int status, string code, string title, Exception exception)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Type = $"urn:monolith:problem:{code}" };
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = ResultHttp.TraceId(context);
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
        {
            return true;
        }

        // The caller's Accept header matched no writer (text/html, text/plain): a machine route still answers JSON, never the HTML page.
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
        return true;
    }
}
