using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Billing.Webhooks;

/// <summary>How webhooks are handled after their signature is verified.</summary>
public enum WebhookProcessing
{
    /// <summary>Made durable in the inbox (one statement), answered, then applied by the background applier (default).</summary>
    Queued,

    /// <summary>Received, applied and committed in the request, as one transaction (the provider waits for it).</summary>
    Inline,
}

/// <summary>Section <c>Webhooks</c> (env <c>Webhooks__…</c>); docs/billing.md, "Webhooks".</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public WebhookProcessing Processing { get; set; } = WebhookProcessing.Queued;

    public WebhookApplierOptions Applier { get; set; } = new();

    /// <summary>/health/ready turns unhealthy when the oldest received webhook has waited longer than this.</summary>
    public TimeSpan ReadyMaxLag { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class WebhookApplierOptions
{
    /// <summary>Run the background applier in this process (tests that drive it by hand turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Lanes applied concurrently (PostgreSQL; SQLite has one writer, so one lane): every event of one provider
    /// customer goes to the same lane (<c>ApplyLanes</c>).
    /// </summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Received events applied per transaction (one commit per batch).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Fallback polling when no in-process wake-up arrives (events received by other instances).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        options.Applier.Concurrency is < 1 or > 32
            ? ValidateOptionsResult.Fail("Webhooks:Applier:Concurrency (env Webhooks__Applier__Concurrency) must be between 1 and 32.")
            : options.Applier.BatchSize is < 1 or > 1000
            ? ValidateOptionsResult.Fail("Webhooks:Applier:BatchSize (env Webhooks__Applier__BatchSize) must be between 1 and 1000.")
            : options.Applier.PollInterval <= TimeSpan.Zero
                ? ValidateOptionsResult.Fail("Webhooks:Applier:PollInterval (env Webhooks__Applier__PollInterval) must be positive.")
                : ValidateOptionsResult.Success;
}
