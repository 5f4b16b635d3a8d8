using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Accounts;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Billing.Usage.ReportUsage;
using Monolith.Application.Billing.Usage.TrackUsage;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Outbox;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.Usage;

/// <summary>
/// Usage is reported to a metering provider from the outbox, after TrackUsage committed: never blocking or failing
/// the command, retried and finally parked on provider failure, counted by outcome. The provider is the in-memory
/// simulator, seen through a pass-through port that records the calls (and can override capabilities or fail).
/// </summary>
public sealed class ReportUsageToProviderTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task TrackedUsage_IsReportedToAMeteringProvider_OnceWithTheUsageEventAsIdempotencyKey()
    {
        var port = new ObservedPaymentsPort();
        await using var host = Host(port);
        var (owner, customerId, accountId) = await CustomerAsync(host);
        using var outcomes = new OutcomeListener();

        var tracked = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 40, "u-1"), owner.UserId);
        Assert.True(tracked.IsSuccess);
        await host.Services.GetRequiredService<OutboxEngine>().DrainAsync(CancellationToken.None);

        var (report, key) = Assert.Single(port.Reports);
        Assert.Equal((customerId, "api-calls", 40L), (report.CustomerId, report.FeatureId, report.Quantity));
        var usageId = await host.QueryDbAsync(db => db.UsageEvents.Where(u => u.IdempotencyKey == "u-1").Select(u => u.Id).SingleAsync());
        Assert.Equal(ReportUsageToProviderHandler.IdempotencyKey(usageId), key);
        Assert.Equal(OutboxDeliveryState.Succeeded, (await DeliveryAsync(host, accountId)).State);
        Assert.Contains((port.Provider, UsageReportingMetrics.Reported), outcomes.Seen);
    }

    [Fact]
    public async Task TrackedUsage_WithANonMeteringProvider_IsNotReported()
    {
        var port = new ObservedPaymentsPort { Metering = false };
        await using var host = Host(port);
        var (owner, _, accountId) = await CustomerAsync(host);
        using var outcomes = new OutcomeListener();

        Assert.True((await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 5, "u-1"), owner.UserId)).IsSuccess);
        await host.Services.GetRequiredService<OutboxEngine>().DrainAsync(CancellationToken.None);

        Assert.Empty(port.Reports);
        Assert.Equal(OutboxDeliveryState.Succeeded, (await DeliveryAsync(host, accountId)).State);
        Assert.Contains((port.Provider, UsageReportingMetrics.NotMetering), outcomes.Seen);
    }

    [Fact]
    public async Task ProviderDown_NeverFailsTrackUsage_AndTheReportIsRetriedThenParked()
    {
        var port = new ObservedPaymentsPort { FailReports = true };
        await using var host = Host(port, maxAttempts: 2);
        var (owner, _, accountId) = await CustomerAsync(host);
        using var outcomes = new OutcomeListener();

        var tracked = await host.SendAsync(new TrackUsageCommand(owner.PersonalOrganizationId, "api-calls", 7, "u-1"), owner.UserId);
        Assert.True(tracked.IsSuccess);
        Assert.Equal(7, tracked.Value.Used);

        var engine = host.Services.GetRequiredService<OutboxEngine>();
        await engine.DrainAsync(CancellationToken.None);
        var afterFirst = await DeliveryAsync(host, accountId);
        Assert.Equal((OutboxDeliveryState.Failed, 1), (afterFirst.State, afterFirst.Attempts));
        Assert.StartsWith(PaymentsErrors.ProviderUnavailable.Code, afterFirst.LastError, StringComparison.Ordinal);

        await host.QueryDbAsync(db => db.OutboxDeliveries.Where(d => d.Id == afterFirst.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await engine.DrainAsync(CancellationToken.None);

        var parked = await DeliveryAsync(host, accountId);
        Assert.Equal((OutboxDeliveryState.Dead, 2), (parked.State, parked.Attempts));
        Assert.Equal(2, port.Attempts);
        Assert.Contains((port.Provider, UsageReportingMetrics.Failed), outcomes.Seen);
    }

    private ApplicationHost Host(ObservedPaymentsPort port, int maxAttempts = 5) => new(
        database,
        services => services.AddSingleton<IPaymentsPort>(sp => port.Around(ActivatorUtilities.CreateInstance<InMemoryPaymentsProvider>(sp))),
        new Dictionary<string, string?>
        {
            ["Outbox:Workers:Enabled"] = "false",
            ["Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private static Task<OutboxDelivery> DeliveryAsync(ApplicationHost host, Guid accountId) =>
        host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking().SingleAsync(d =>
            d.Handler == ReportUsageToProviderHandler.HandlerName && db.OutboxMessages.Any(m => m.Id == d.MessageId && m.Payload.Contains(accountId.ToString()))));

    /// <summary>A registered owner whose billing account is linked to a customer the simulator knows.</summary>
    private static async Task<(Monolith.Application.Accounts.Users.RegisterUser.RegisterUserResult Owner, string CustomerId, Guid AccountId)> CustomerAsync(ApplicationHost host)
    {
        var owner = await host.RegisterAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var port = scope.ServiceProvider.GetRequiredService<IPaymentsPort>();
        var db = scope.ServiceProvider.GetRequiredService<Monolith.Application.Common.Interfaces.IAppDbContext>();
        var account = (await db.GetOrOpenBillingAccountAsync(owner.PersonalOrganizationId, DateTimeOffset.UtcNow, CancellationToken.None)).Value;
        var customerId = (await port.CreateCustomerAsync(new CreateCustomerRequest(account.Id, owner.PersonalOrganizationId, null, null), $"c-{account.Id}", CancellationToken.None)).Value;
        Assert.True(account.LinkCustomer(port.Provider, customerId, DateTimeOffset.UtcNow).IsSuccess);
        await db.SaveChangesAsync();
        return (owner, customerId, account.Id);
    }

    /// <summary>Outcomes counted on <c>billing.usage.reports</c> while it lives.</summary>
    private sealed class OutcomeListener : IDisposable
    {
        private readonly MeterListener _listener = new();

        public OutcomeListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UsageReportingMetrics.MeterName && instrument.Name == UsageReportingMetrics.CounterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                string? provider = null, outcome = null;
                foreach (var tag in tags)
                {
                    provider = tag.Key == "provider" ? tag.Value as string : provider;
                    outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
                }

                Seen.Add((provider, outcome));
            });
            _listener.Start();
        }

        public ConcurrentBag<(string? Provider, string? Outcome)> Seen { get; } = [];

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>
/// The simulator's port with its usage reports recorded; it can claim not to meter, or fail reports as an unreachable
/// provider would. Every other call goes to the simulator unchanged.
/// </summary>
internal sealed class ObservedPaymentsPort
{
    private int _attempts;

    public bool Metering { get; init; } = true;
    public bool FailReports { get; init; }
    public string Provider => "inmemory";
    public ConcurrentQueue<(UsageReport Report, string Key)> Received { get; } = new();
    public IReadOnlyList<(UsageReport Report, string Key)> Reports => Received.ToArray();
    public int Attempts => Volatile.Read(ref _attempts);

    public IPaymentsPort Around(IPaymentsPort inner) => new Port(this, inner);

    private sealed class Port(ObservedPaymentsPort observed, IPaymentsPort inner) : IPaymentsPort
    {
        public string Provider => inner.Provider;

        public PaymentsCapabilities Capabilities => inner.Capabilities with { SupportsMetering = observed.Metering && inner.Capabilities.SupportsMetering };

        public async Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref observed._attempts);
            if (observed.FailReports)
            {
                return PaymentsErrors.ProviderUnavailable;
            }

            var result = await inner.ReportUsageAsync(report, idempotencyKey, cancellationToken);
            if (result.IsSuccess)
            {
                observed.Received.Enqueue((report, idempotencyKey));
            }

            return result;
        }

        public Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.CreateCustomerAsync(request, idempotencyKey, cancellationToken);

        public Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.UpdateCustomerAsync(customerId, request, idempotencyKey, cancellationToken);

        public Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.CreateCheckoutSessionAsync(request, idempotencyKey, cancellationToken);

        public Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken) =>
            inner.CreatePortalSessionAsync(customerId, returnUrl, cancellationToken);

        public Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.CancelSubscriptionAsync(providerSubscriptionId, atPeriodEnd, idempotencyKey, cancellationToken);

        public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.ResumeSubscriptionAsync(providerSubscriptionId, idempotencyKey, cancellationToken);

        public Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.ChangeSubscriptionAsync(request, idempotencyKey, cancellationToken);

        public Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            inner.RefundPaymentAsync(request, idempotencyKey, cancellationToken);

        public Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken) =>
            inner.FetchAsync(reference, cancellationToken);

        public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now) =>
            inner.ParseWebhook(body, headers, now);
    }
}
