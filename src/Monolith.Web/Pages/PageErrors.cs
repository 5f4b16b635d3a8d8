using Microsoft.AspNetCore.Mvc.ModelBinding;
using Monolith.Domain.Common;

namespace Monolith.Web.Pages;

/// <summary>The page-side twin of ResultHttp: an <see cref="Error"/> becomes model-state messages next to the fields.</summary>
internal static class PageErrors
{
    public static void Add(ModelStateDictionary modelState, Error error, string prefix)
    {
        if (error.Details is { Count: > 0 } details)
        {
            foreach (var (field, messages) in details)
            {
                foreach (var message in messages)
                {
                    modelState.AddModelError($"{prefix}.{field}", message);
                }
            }

            return;
        }

        modelState.AddModelError(string.Empty, error.Message);
    }
}
