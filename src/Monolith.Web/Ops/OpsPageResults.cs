using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Domain.Common;
using Monolith.Web.Common;

namespace Monolith.Web.Ops;

/// <summary>How ops pages turn results into responses: reads fail as ProblemDetails; actions flash a message and redirect (PRG).</summary>
internal static class OpsPageResults
{
    public const string MessageKey = "OpsMessage";
    public const string ErrorKey = "OpsError";

    /// <summary>A failed read: ProblemDetails with the error's status and stable code (like the JSON API).</summary>
    public static IActionResult Problem(this PageModel page, Error error)
    {
        var problem = ResultHttp.ToProblemDetails(error, page.HttpContext);
        return new ObjectResult(problem) { StatusCode = problem.Status, ContentTypes = { "application/problem+json" } };
    }

    /// <summary>After an action: show <paramref name="success"/> or the error's message on the next page.</summary>
    public static void Flash(this PageModel page, Result result, string success)
    {
        if (result.IsSuccess)
        {
            page.TempData[MessageKey] = success;
        }
        else
        {
            page.TempData[ErrorKey] = $"{result.Error!.Message} ({result.Error.Code})";
        }
    }
}
