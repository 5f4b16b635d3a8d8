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

    public PaymentsProviderKind ProviderKind =>
        Enum.TryParse<PaymentsProviderKind>(Provider, ignoreCase: true, out var kind) ? kind : PaymentsProviderKind.InMemory;

    public bool IsSimulator => ProviderKind == PaymentsProviderKind.InMemory;
}

/// <summary>Section <c>Payments:InMemory</c> (the local simulator).</summary>
public sealed class InMemoryPaymentsOptions
{
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

/// <summary>Section <c>Payments:InMemory:Chaos</c>: misbehave like a real provider, for tests and demos.</summary>
public sealed class SimulatorChaosOptions
{
    public bool Duplicates { get; set; }

    public bool Shuffle { get; set; }

    public int DelayMilliseconds { get; set; }

    /// <summary>The first N delivery attempts are treated as failed (and retried).</summary>
    public int FailFirstDeliveries { get; set; }
}

internal sealed class PaymentsOptionsValidator : IValidateOptions<PaymentsOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        var problems = new List<string>();
        if (!Enum.TryParse<PaymentsProviderKind>(options.Provider, ignoreCase: true, out _) || int.TryParse(options.Provider, out _))
        {
            problems.Add($"Payments:Provider (env Payments__Provider) must be 'InMemory' or 'Stripe', not '{options.Provider}'.");
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

    private static void CheckUrl(string? value, string setting, List<string> problems)
    {
        if (value is not null &&
            (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"Payments:InMemory:{setting} (env Payments__InMemory__{setting}) must be an absolute http(s) URL, not '{value}'.");
        }
    }
}
