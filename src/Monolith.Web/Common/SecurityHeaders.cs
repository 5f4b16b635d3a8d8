namespace Monolith.Web.Common;

/// <summary>
/// Response headers on every answer (pages, API, static files, errors): a Content-Security-Policy that allows no inline
/// script and no framing, <c>nosniff</c>, a strict referrer policy. Set when the response starts, so the exception
/// handler's reset of the response cannot drop them. See docs/security.md.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Only this origin's scripts, styles, images and fonts; no plugins; no framing (clickjacking); no base-tag tricks.
    /// <c>form-action</c> is left open on purpose: the pricing and billing forms end in a redirect to the provider's
    /// hosted checkout or portal (another origin), which Chromium checks against <c>form-action</c>.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Hangfire dashboard (<c>/hangfire</c> only) sets <c>style</c> attributes in its HTML (state colours), so it
    /// gets <c>'unsafe-inline'</c> styles; scripts stay <c>'self'</c> (its scripts are files), everything else as above.
    /// </summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private static readonly object OverrideKey = new();

    /// <summary>
    /// Replaces the policy and <c>X-Frame-Options</c> for this one response (set before the response starts), for an
    /// answer that must differ from the site-wide policy: the development mailbox's HTML preview, framed by its page.
    /// </summary>
    public static void Override(HttpContext context, string contentSecurityPolicy, string frameOptions) =>
        context.Items[OverrideKey] = (contentSecurityPolicy, frameOptions);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Chosen now: the dashboard's branch moves the /hangfire prefix from Path to PathBase while it answers.
            var policy = Ops.HangfireDashboard.IsDashboard(context.Request.Path) ? DashboardContentSecurityPolicy : ContentSecurityPolicy;
            context.Response.OnStarting(state =>
            {
                var current = (HttpContext)state;
                var (csp, frameOptions) = current.Items[OverrideKey] is ValueTuple<string, string> chosen ? chosen : (policy, "DENY");
                var headers = current.Response.Headers;
                headers.ContentSecurityPolicy = csp;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = frameOptions;
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
