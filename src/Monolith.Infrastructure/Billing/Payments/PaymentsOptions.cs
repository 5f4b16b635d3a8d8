using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Billing.Payments;

public enum PaymentsProviderKind
{
    InMemory,
    Stripe,
}

/// <summary>Section <c>Payments</c>: which provider runs, and the simulator's settings.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>Raw setting, validated into <see cref="ProviderKind"/>; a typo stops start-up with the setting's name.</summary>
    public string Provider { get; set; } = nameof(PaymentsProviderKind.InMemory);

    public InMemoryPaymentsOptions InMemory { get; } = new();

    public StripePaymentsOptions Stripe { get; } = new();

    public PaymentsProviderKind ProviderKind =>
        Enum.TryParse<PaymentsProviderKind>(Provider, ignoreCase: true, out var kind) ? kind : PaymentsProviderKind.InMemory;

    public bool IsSimulator => ProviderKind == PaymentsProviderKind.InMemory;
}

/// <summary>Section <c>Payments:InMemory</c> (the local simulator).</summary>
public sealed class InMemoryPaymentsOptions
{
    /// <summary>
    /// The simulator grants paid plans for a test card, so outside the Development environment it is refused at start-up
    /// unless this is <c>true</c> (a demo or test deployment that means it).
    /// </summary>
    public bool AllowOutsideDevelopment { get; set; }

    /// <summary>Origin of the simulator's hosted pages; default: the origin of the checkout's success URL.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where webhooks are posted (<c>{base}/webhooks/inmemory</c>); default: the app's own listening address.</summary>
    public string? WebhookBaseUrl { get; set; }

    /// <summary>HMAC secret for <c>Simulator-Signature</c>; default: random per process.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Delivery attempts per event before the simulator gives up (like a real provider, bounded).</summary>
    public int MaxDeliveryAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public SimulatorChaosOptions Chaos { get; } = new();
}

/// <summary>Section <c>Payments:Stripe</c> (read only when <c>Payments:Provider=Stripe</c>). Keys are never logged.</summary>
public sealed class StripePaymentsOptions
{
    /// <summary>The secret API key (<c>sk_test_…</c> / <c>sk_live_…</c>, or a restricted <c>rk_…</c> key).</summary>
    public string? SecretKey { get; set; }

    /// <summary>Webhook signing secrets (<c>whsec_…</c>); an event signed with any of them is accepted (rotation).</summary>
    public IList<string> WebhookSecrets { get; } = new List<string>();

    public string ApiBase { get; set; } = global::Stripe.StripeClient.DefaultApiBase;

    /// <summary>
    /// The API version Stripe.net sends as <c>Stripe-Version</c> and whose shapes its typed objects read: fixed by the
    /// SDK (<see cref="global::Stripe.StripeConfiguration.ApiVersion"/>). The setting exists to say it out loud; any
    /// other value stops start-up (a new version comes with a new Stripe.net, docs/stripe.md).
    /// </summary>
    public string ApiVersion { get; set; } = global::Stripe.StripeConfiguration.ApiVersion;

    /// <summary>Events signed longer ago than this are refused; 0 turns the age check off.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Timeout of one attempt (Stripe.net may make several).</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Stripe.net's network retries after the first attempt (connection errors, timeouts, 409, 5xx and whatever Stripe
    /// marks <c>Stripe-Should-Retry: true</c>), with its own backoff (0.5 s doubling, at most 5 s, jittered).
    /// </summary>
    public int MaxRetries { get; set; } = 3;
}

/// <summary>Section <c>Payments:InMemory:Chaos</c>: misbehave like a real provider, for tests and demos.</summary>
public sealed class SimulatorChaosOptions
{
    public bool Duplicates { get; set; }

    public bool Shuffle { get; set; }

    public int DelayMilliseconds { get; set; }

    /// <summary>The first N delivery attempts are treated as failed (and retried).</summary>
    public int FailFirstDeliveries { get; set; }
}

internal sealed class PaymentsOptionsValidator(IHostEnvironment environment) : IValidateOptions<PaymentsOptions>
{
    /// <summary>The start-up error when the simulator would run outside Development without being allowed to.</summary>
    public static string SimulatorOutsideDevelopment(string environmentName) =>
        $"Payments:Provider (env Payments__Provider) is 'InMemory' (the local simulator, also the default when it is not set) in the " +
        $"'{environmentName}' environment: the simulator grants paid plans for test cards. Set Payments:Provider=Stripe, or " +
        "Payments:InMemory:AllowOutsideDevelopment=true (env Payments__InMemory__AllowOutsideDevelopment) for a demo or test deployment.";

    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        var problems = new List<string>();
        if (options.IsSimulator && !environment.IsDevelopment() && !options.InMemory.AllowOutsideDevelopment)
        {
            problems.Add(SimulatorOutsideDevelopment(environment.EnvironmentName));
        }

        if (!Enum.TryParse<PaymentsProviderKind>(options.Provider, ignoreCase: true, out _) || int.TryParse(options.Provider, out _))
        {
            problems.Add($"Payments:Provider (env Payments__Provider) must be 'InMemory' or 'Stripe', not '{options.Provider}'.");
        }

        if (options.ProviderKind == PaymentsProviderKind.Stripe)
        {
            ValidateStripe(options.Stripe, problems);
        }

        var sim = options.InMemory;
        CheckUrl(sim.PublicBaseUrl, "PublicBaseUrl", problems);
        CheckUrl(sim.WebhookBaseUrl, "WebhookBaseUrl", problems);
        if (sim.WebhookSecret is { } secret && secret.Trim().Length < 16)
        {
            problems.Add("Payments:InMemory:WebhookSecret (env Payments__InMemory__WebhookSecret) must be at least 16 characters.");
        }

        if (sim.MaxDeliveryAttempts is < 1 or > 50)
        {
            problems.Add("Payments:InMemory:MaxDeliveryAttempts (env Payments__InMemory__MaxDeliveryAttempts) must be between 1 and 50.");
        }

        if (sim.RetryBaseDelay <= TimeSpan.Zero || sim.RetryBaseDelay > TimeSpan.FromHours(1))
        {
            problems.Add("Payments:InMemory:RetryBaseDelay (env Payments__InMemory__RetryBaseDelay) must be above 0 and at most 01:00:00.");
        }

        if (sim.Chaos.DelayMilliseconds is < 0 or > 60_000)
        {
            problems.Add("Payments:InMemory:Chaos:DelayMilliseconds (env Payments__InMemory__Chaos__DelayMilliseconds) must be between 0 and 60000.");
        }

        if (sim.Chaos.FailFirstDeliveries < 0)
        {
            problems.Add("Payments:InMemory:Chaos:FailFirstDeliveries (env Payments__InMemory__Chaos__FailFirstDeliveries) must be >= 0.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateStripe(StripePaymentsOptions stripe, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(stripe.SecretKey))
        {
            problems.Add("Payments:Stripe:SecretKey (env Payments__Stripe__SecretKey) is required when Payments:Provider is 'Stripe'.");
        }

        if (!stripe.WebhookSecrets.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            problems.Add("Payments:Stripe:WebhookSecrets (env Payments__Stripe__WebhookSecrets__0) needs at least one webhook signing secret when Payments:Provider is 'Stripe'.");
        }

        if (!Uri.TryCreate(stripe.ApiBase, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"Payments:Stripe:ApiBase (env Payments__Stripe__ApiBase) must be an absolute http(s) URL, not '{stripe.ApiBase}'.");
        }

        if (!string.Equals(stripe.ApiVersion?.Trim(), global::Stripe.StripeConfiguration.ApiVersion, StringComparison.Ordinal))
        {
            problems.Add(
                $"Payments:Stripe:ApiVersion (env Payments__Stripe__ApiVersion) is '{stripe.ApiVersion}', but Stripe.net {(global::Stripe.StripeConfiguration.StripeNetVersion)} " +
                $"speaks '{(global::Stripe.StripeConfiguration.ApiVersion)}' (remove the setting, or set it to that version).");
        }

        if (stripe.WebhookToleranceSeconds is < 0 or > 86_400)
        {
            problems.Add("Payments:Stripe:WebhookToleranceSeconds (env Payments__Stripe__WebhookToleranceSeconds) must be between 0 and 86400.");
        }

        if (stripe.RequestTimeoutSeconds is <= 0 or > 300)
        {
            problems.Add("Payments:Stripe:RequestTimeoutSeconds (env Payments__Stripe__RequestTimeoutSeconds) must be above 0 and at most 300.");
        }

        if (stripe.MaxRetries is < 0 or > 10)
        {
            problems.Add("Payments:Stripe:MaxRetries (env Payments__Stripe__MaxRetries) must be between 0 and 10.");
        }
    }

    private static void CheckUrl(string? value, string setting, List<string> problems)
    {
        if (value is not null &&
            (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"Payments:InMemory:{setting} (env Payments__InMemory__{setting}) must be an absolute http(s) URL, not '{value}'.");
        }
    }
}
