using Hangfire;
using Hangfire.Dashboard;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Monolith.Application.Ops.Jobs.RecordDashboardAction;
using Monolith.Infrastructure.Identity;

namespace Monolith.Web.Ops;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c> (docs/ops.md): recurring jobs with "trigger now", jobs by state with every
/// attempt and its exception, requeue / delete. Only the <c>ops</c> role: anonymous → sign-in (a challenge, before the
/// dashboard answers), signed in without the role → 403 (<see cref="OpsDashboardAuthorization"/>). Its POST actions
/// need our antiforgery token (the dashboard checks <c>IAntiforgery</c> itself); accepted ones are audited.
/// </summary>
internal static class HangfireDashboard
{
    public const string Path = "/hangfire";

    public static bool IsDashboard(PathString path) => path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    public static WebApplication UseJobsDashboard(this WebApplication app)
    {
        app.UseWhen(context => IsDashboard(context.Request.Path), branch => branch.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync();
                return;
            }

            var action = HttpMethods.IsPost(context.Request.Method) ? ActionName(context.Request.Path) : null;
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status403Forbidden && !context.Response.HasStarted)
            {
                // The dashboard answers a refusal (no ops role, or a POST without our antiforgery token) with an empty body.
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("403 Forbidden: the jobs dashboard is for the ops role, and its actions need the page's antiforgery token.");
            }
            else if (action is not null && context.Response.StatusCode is >= 200 and < 300)
            {
                await AuditAsync(context, action);
            }
        }));
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new OpsDashboardAuthorization()],
            AppPath = "/ops",
            DashboardTitle = "Monolith · jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary><c>/hangfire/recurring/trigger</c> → <c>recurring.trigger</c>; <c>/hangfire/jobs/failed/requeue</c> → <c>jobs.failed.requeue</c>.</summary>
    private static string ActionName(PathString path)
    {
        var segments = path.Value![Path.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('.', segments.Where(s => !s.Any(char.IsDigit)).Select(s => s.ToLowerInvariant()));
    }

    private static async Task AuditAsync(HttpContext context, string action)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var ids = form?["jobs[]"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList() ?? [];
        if (ids.Count == 0 && context.Request.Path.Value!.Split('/').LastOrDefault(s => s.Any(char.IsDigit)) is { } inPath)
        {
            ids.Add(inPath);
        }

        await context.RequestServices.GetRequiredService<IMediator>()
            .Send(new RecordDashboardActionCommand(action, string.Join(",", ids)), context.RequestAborted);
    }
}

/// <summary>The dashboard's gate on our authentication: the <c>ops</c> role (the same role as the <c>ops</c> policy of /ops).</summary>
internal sealed class OpsDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(AppRoles.Ops);
}
