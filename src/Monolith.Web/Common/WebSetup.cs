using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Common;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.Infrastructure.Identity;
using Monolith.Web.Accounts;
using Monolith.Web.Billing;
using Monolith.Web.Ops;

namespace Monolith.Web.Common;

internal static class WebSetup
{
    public const string OpsPolicy = "ops";

    public static IServiceCollection AddWeb(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<IAppOrigin, AppOrigin>();
        services.AddProblemDetails();
        services.AddOpenApi();
        // Enums travel as snake_case strings ("past_due", "set_total"), like the providers' own statuses.
        // Numbers are JSON numbers: "5" for a quantity, 1.5 for minor units or a value past the type's range is refused
        // (400 request.json_invalid) rather than read (the web defaults read numbers from strings).
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // A body that does not bind is a 400 ProblemDetails in every environment (by default only Development throws).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Cookie.Name = "monolith.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.SlidingExpiration = true;
            cookie.Events = new CookieAuthenticationEvents
            {
                // Machines get a status code and ProblemDetails, never a redirect to a sign-in page.
                OnRedirectToLogin = context => MachineOrRedirect(context, AuthErrors.SignInRequired),
                OnRedirectToAccessDenied = context => MachineOrRedirect(context, AuthErrors.Forbidden),
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(OpsPolicy, policy => policy.RequireRole(AppRoles.Ops));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "monolith.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Not Always: antiforgery then throws on every plain-http request (a 500 on each page with a form, e.g. behind a
            // TLS-terminating proxy whose scheme is not forwarded). The cookie policy below still marks it Secure outside Development.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Every cookie (auth, antiforgery, TempData, Identity's others): HttpOnly, SameSite at least Lax, Secure outside Development.
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.HttpOnly = Microsoft.AspNetCore.CookiePolicy.HttpOnlyPolicy.Always;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
            o.Secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddRateLimits();
        services.AddForwardedHeadersFromKnownProxies();

        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Ops", OpsPolicy);
            options.Conventions.AllowAnonymousToFolder("/Account");
            options.Conventions.AllowAnonymousToFolder("/Simulator");
        });
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // First: the scheme, client address and host the rest of the pipeline (HTTPS redirection, HSTS, cookies) sees.
        app.UseForwardedHeadersFromKnownProxies();
        app.UseSecurityHeaders();
        app.UseExceptionHandler("/error");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseCookiePolicy();
        app.UseStaticFiles();

        // The simulator's pages exist only while it is the active provider.
        var simulatorActive = app.Services.GetRequiredService<IOptions<PaymentsOptions>>().Value.IsSimulator;
        app.UseWhen(
            context => !simulatorActive && context.Request.Path.StartsWithSegments("/_simulator", StringComparison.OrdinalIgnoreCase),
            branch => branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseJobsDashboard();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapOpenApi();
        // Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the Hangfire dashboard, JSON answers).
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).ExcludeFromDescription();
        app.MapRazorPages();
        app.MapOrganizationEndpoints();
        app.MapBillingEndpoints();
        app.MapWebhookEndpoints();
        return app;
    }

    private static Task MachineOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, Error error)
    {
        if (ProblemExceptionHandler.IsMachineEndpoint(context.Request.Path))
        {
            return ResultHttp.Problem(error, context.HttpContext).ExecuteAsync(context.HttpContext);
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

internal static class AuthErrors
{
    public static readonly Error SignInRequired = Error.Unauthenticated("auth.sign_in_required", "Sign in to continue.");
    public static readonly Error Forbidden = Error.Forbidden("auth.forbidden", "You may not do this.");
}
