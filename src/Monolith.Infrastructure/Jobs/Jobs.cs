using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Checkout.ExpireCheckoutSession;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.Reconciliation;
using Monolith.Application.Billing.Reconciliation.ReconcileObject;
using Monolith.Application.Billing.Subscriptions.RaiseDunningReminder;
using Monolith.Application.Billing.Webhooks.RetryWebhookEvent;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Retention.PruneRetention;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Webhooks;

namespace Monolith.Infrastructure.Jobs;

/// <summary>Re-fetches due subscriptions, payments and open checkouts from the provider (docs/jobs.md).</summary>
internal sealed class ReconciliationJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, ILogger<ReconciliationJob> logger)
    : RecurringJob(scopes, time, logger)
{
    public const string JobName = "billing.reconciliation";

    public override string Name => JobName;

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Reconciliation;
        var due = await InScopeAsync(sp => ReconciliationCandidates.SelectAsync(
            sp.GetRequiredService<IAppDbContext>(), sp.GetRequiredService<IPaymentsPort>().Provider,
            Clock.GetUtcNow() - settings.MinAge, null, settings.BatchSize, cancellationToken));
        return await SendEachAsync(due, r => new ReconcileObjectCommand(r.Kind, r.ProviderId), r => r.DriftReportIds.Count > 0, cancellationToken);
    }
}

/// <summary>Applies parked / failed inbox events again.</summary>
internal sealed class InboxRetryJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, ILogger<InboxRetryJob> logger)
    : RecurringJob(scopes, time, logger)
{
    public const string JobName = "billing.inbox-retry";

    public override string Name => JobName;

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.InboxRetry;
        var since = Clock.GetUtcNow() - settings.MaxAge;
        var due = await InScopeAsync(sp => sp.GetRequiredService<IAppDbContext>().WebhookEvents.AsNoTracking()
            .Where(e => (e.Status == WebhookEventStatus.Parked || e.Status == WebhookEventStatus.Failed) && e.ReceivedAt >= since)
            .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(settings.BatchSize).ToListAsync(cancellationToken));
        return await SendEachAsync(due, id => new RetryWebhookEventCommand(id), r => r.Changed, cancellationToken);
    }
}

/// <summary>Closes open checkout sessions past their expiry (after asking the provider).</summary>
internal sealed class CheckoutExpiryJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, ILogger<CheckoutExpiryJob> logger)
    : RecurringJob(scopes, time, logger)
{
    public const string JobName = "billing.checkout-expiry";

    public override string Name => JobName;

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.CheckoutExpiry;
        var before = Clock.GetUtcNow() - settings.Grace;
        var due = await InScopeAsync(sp => sp.GetRequiredService<IAppDbContext>().CheckoutSessions.AsNoTracking()
            .Where(s => s.Status == CheckoutStatus.Open && s.ExpiresAt <= before)
            .OrderBy(s => s.ExpiresAt).Select(s => s.Id).Take(settings.BatchSize).ToListAsync(cancellationToken));
        return await SendEachAsync(due, id => new ExpireCheckoutSessionCommand(id), r => r.Changed, cancellationToken);
    }
}

/// <summary>Deletes old idempotency records and completed outbox bookkeeping.</summary>
internal sealed class RetentionJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, ILogger<RetentionJob> logger)
    : RecurringJob(scopes, time, logger)
{
    public const string JobName = "maintenance.retention";

    public override string Name => JobName;

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Retention;
        var now = Clock.GetUtcNow();
        var result = await SendAsync(new PruneRetentionCommand(now - settings.IdempotencyRetention, now - settings.OutboxRetention), cancellationToken);
        return result.IsFailure
            ? throw new InvalidOperationException($"Pruning failed: {result.Error.Code}")
            : $"deleted {result.Value.IdempotencyRecords} idempotency records, {result.Value.Deliveries} deliveries, " +
              $"{result.Value.ProcessedMarkers} markers, {result.Value.Messages} messages";
    }
}

/// <summary>Raises a dunning reminder per past-due subscription, at most once per interval.</summary>
internal sealed class DunningReminderJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsOptions> options, ILogger<DunningReminderJob> logger)
    : RecurringJob(scopes, time, logger)
{
    public const string JobName = "billing.dunning-reminders";

    public override string Name => JobName;

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Dunning;
        var due = await InScopeAsync(sp => sp.GetRequiredService<IAppDbContext>().Subscriptions.AsNoTracking()
            .Where(s => s.Status == SubscriptionStatus.PastDue)
            .OrderBy(s => s.Id).Select(s => s.Id).Take(settings.BatchSize).ToListAsync(cancellationToken));
        return await SendEachAsync(due, id => new RaiseDunningReminderCommand(id, settings.Interval), r => r.Raised, cancellationToken);
    }
}

/// <summary>The catalogue of recurring jobs: name (the Hangfire recurring job id), what it does, its job type and its options.</summary>
internal sealed record RecurringJobDefinition(string Name, string Description, Type JobType, Func<JobsOptions, RecurringJobOptions> Options)
{
    private static readonly System.Reflection.MethodInfo Execute = typeof(RecurringJob).GetMethod(nameof(RecurringJob.ExecuteAsync))!;

    /// <summary>What Hangfire stores and runs: <c>JobType.ExecuteAsync(Name, token)</c>.</summary>
    public Hangfire.Common.Job Job() => new(JobType, Execute, Name, CancellationToken.None);

    public static readonly IReadOnlyList<RecurringJobDefinition> All =
    [
        new(ReconciliationJob.JobName,
            "Re-fetch non-terminal subscriptions and payments and open checkouts from the provider, apply its truth, record drift.",
            typeof(ReconciliationJob), o => o.Reconciliation),
        new(InboxRetryJob.JobName, "Apply parked or failed webhook events again.", typeof(InboxRetryJob), o => o.InboxRetry),
        new(CheckoutExpiryJob.JobName, "Expire open checkout sessions past their expiry (after asking the provider).",
            typeof(CheckoutExpiryJob), o => o.CheckoutExpiry),
        new(RetentionJob.JobName, "Delete old idempotency records and completed outbox deliveries, markers and messages.",
            typeof(RetentionJob), o => o.Retention),
        new(DunningReminderJob.JobName, "Raise DunningReminderDue for past-due subscriptions, at most once per interval.",
            typeof(DunningReminderJob), o => o.Dunning),
    ];
}
