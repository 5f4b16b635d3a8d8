using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monolith.Domain.Common;

namespace Monolith.Web.Common;

/// <summary>Section <c>RateLimits</c> (env <c>RateLimits__Checkout__PermitLimit</c>, …): fixed windows per caller and organisation.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Checkout sessions created (API and the pricing page share one budget): each one may call the provider.</summary>
    public RateLimitWindow Checkout { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Usage records: metering is chatty by nature, so the budget is wide; it only stops a runaway client.</summary>
    public RateLimitWindow Usage { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };
}

public sealed class RateLimitWindow
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        List<string> failures = [];
        Check(options.Checkout, nameof(RateLimitOptions.Checkout), failures);
        Check(options.Usage, nameof(RateLimitOptions.Usage), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(RateLimitWindow window, string key, List<string> failures)
    {
        if (window.PermitLimit is < 1 or > 1_000_000)
        {
            failures.Add($"RateLimits:{key}:PermitLimit (env RateLimits__{key}__PermitLimit) must be between 1 and 1000000.");
        }

        if (window.Window < TimeSpan.FromSeconds(1) || window.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"RateLimits:{key}:Window (env RateLimits__{key}__Window) must be between 00:00:01 and 1.00:00:00.");
        }
    }
}

/// <summary>
/// ASP.NET Core's rate limiter on the calls that cost money or grow a ledger. A caller's budget is per signed-in user and
/// organisation (the <c>organizationId</c> query value, or their personal one); reads (GET) are never limited.
/// A refused call gets 429 ProblemDetails <c>rate_limited</c> with <c>Retry-After</c>: the seconds left until the caller's
/// window ends and permits return (not the window's full length, as .NET's fixed-window limiter reports).
/// </summary>
internal static class RateLimits
{
    public const string Checkout = "checkout";
    public const string Usage = "usage";

    /// <summary>The limiter's clock (a keyed <see cref="TimeProvider"/>; the system clock unless a test host replaces it).</summary>
    public const string ClockKey = "rate-limits";

    public static readonly Error Limited = Error.Validation("rate_limited", "Too many requests. Try again later.");

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Checkout, context => Partition(context, o => o.Checkout));
            limiter.AddPolicy(Usage, context => Partition(context, o => o.Usage));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitOptions, RateLimitWindow> pick)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }

        var window = pick(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        var user = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var organization = context.Request.Query["organizationId"].ToString() is { Length: > 0 } given ? given.ToLowerInvariant() : "personal";
        var clock = context.RequestServices.GetRequiredKeyedService<TimeProvider>(ClockKey);
        return RateLimitPartition.Get($"{user}|{organization}", _ => new FixedWindowLimiter(window.PermitLimit, window.Window, clock));
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        // The time left in the caller's window (FixedWindowLimiter), rounded up to whole seconds, at least 1.
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problem = ResultHttp.ToProblemDetails(Limited, http);
        problem.Status = StatusCodes.Status429TooManyRequests;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await Results.Problem(problem).ExecuteAsync(http);
    }
}
