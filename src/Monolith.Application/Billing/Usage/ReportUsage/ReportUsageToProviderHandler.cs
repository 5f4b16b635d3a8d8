using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Usage.ReportUsage;

/// <summary>
/// Best-effort usage reporting to a provider that bills metered usage itself. It runs from the outbox after the
/// usage committed, so TrackUsage never waits for (or fails with) the provider; a provider failure is retried with
/// backoff and finally parked as dead for ops. The idempotency key is the usage event's id, so a re-run (a crash after
/// the call) is deduplicated by the provider. Outcomes are logged and counted (<see cref="UsageReportingMetrics"/>).
/// </summary>
internal sealed partial class ReportUsageToProviderHandler(IAppDbContext db, IPaymentsPort payments, ILogger<ReportUsageToProviderHandler> logger)
    : IOutboxHandler<UsageRecorded>
{
    public const string HandlerName = "billing.usage.report-to-provider";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(UsageRecorded e, OutboxContext ctx, CancellationToken ct)
    {
        if (!payments.Capabilities.SupportsMetering)
        {
            UsageReportingMetrics.Record(payments.Provider, UsageReportingMetrics.NotMetering);
            return Result.Success();
        }

        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == e.BillingAccountId, ct);
        if (account?.CustomerIdFor(payments.Provider) is not { } customerId)
        {
            // No customer at the provider (e.g. only the free plan): the provider bills nothing for this account.
            UsageReportingMetrics.Record(payments.Provider, UsageReportingMetrics.NoCustomer);
            return Result.Success();
        }

        var reported = await payments.ReportUsageAsync(
            new UsageReport(customerId, e.FeatureId, e.Quantity, e.OccurredAt), IdempotencyKey(e.UsageEventId), ct);
        if (reported.IsFailure)
        {
            UsageReportingMetrics.Record(payments.Provider, UsageReportingMetrics.Failed);
            LogReportFailed(logger, e.UsageEventId, payments.Provider, ctx.Attempt, reported.Error.Code);
            return reported.Error;
        }

        UsageReportingMetrics.Record(payments.Provider, UsageReportingMetrics.Reported);
        return Result.Success();
    }

    public static string IdempotencyKey(Guid usageEventId) => $"usage-{usageEventId:N}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting usage {UsageEventId} to {Provider} failed (attempt {Attempt}): {Code}; the outbox retries it.")]
    private static partial void LogReportFailed(ILogger logger, Guid usageEventId, string provider, int attempt, string code);
}
