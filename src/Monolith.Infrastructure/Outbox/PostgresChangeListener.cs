using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Entitlements;
using Monolith.Infrastructure.Persistence;
using Npgsql;

namespace Monolith.Infrastructure.Outbox;

/// <summary>
/// On PostgreSQL, one dedicated connection LISTENs on <see cref="PostgresNotifications.OutboxChannel"/> and
/// <see cref="PostgresNotifications.EntitlementsChannel"/>: another instance's outbox commit wakes this instance's
/// dispatcher (or workers), and another instance's billing change drops this instance's cached entitlements for that
/// account. A lost connection is re-opened with backoff (100 ms doubling to 30 s); after every (re)connect the
/// instance wakes its loops and clears its entitlement cache, since notices sent meanwhile were missed.
/// </summary>
internal sealed partial class PostgresChangeListener(
    IOptions<DatabaseOptions> database,
    PostgresNotifications notifications,
    OutboxWakeup wakeup,
    EntitlementCache entitlements,
    TimeProvider clock,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private volatile bool _listening;
    private long _notices;

    /// <summary>True while the LISTEN connection is up (tests wait for it before relying on notices).</summary>
    public bool IsListening => _listening;

    /// <summary>Notices from other instances acted on so far.</summary>
    public long NoticesReceived => Interlocked.Read(ref _notices);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = database.Value;
        if (settings.ProviderKind != DatabaseProvider.Postgres)
        {
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString)
        {
            // A dedicated, unpooled session: LISTEN belongs to the session, and keepalives notice a dead server.
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "monolith-listener",
        }.ConnectionString;

        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _listening = false;
                LogConnectionLost(logger, ex.GetType().Name, retry);
                try
                {
                    await Task.Delay(retry, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
                continue;
            }

            retry = FirstRetry;
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.Notification += OnNotification;
        try
        {
            await using (var listen = new NpgsqlCommand(
                $"LISTEN {PostgresNotifications.OutboxChannel}; LISTEN {PostgresNotifications.EntitlementsChannel}", connection))
            {
                await listen.ExecuteNonQueryAsync(ct);
            }

            // Whatever other instances did while this one was not listening went unheard: catch up.
            entitlements.InvalidateAll();
            wakeup.Messages.Pulse();
            wakeup.Deliveries.Pulse();
            _listening = true;
            LogListening(logger);

            while (!ct.IsCancellationRequested)
            {
                await connection.WaitAsync(ct);
            }
        }
        finally
        {
            _listening = false;
            connection.Notification -= OnNotification;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (PostgresNotifications.Parse(e.Payload) is not { } notice || notice.Instance == notifications.InstanceId)
        {
            return;
        }

        Interlocked.Increment(ref _notices);
        switch (e.Channel)
        {
            case PostgresNotifications.OutboxChannel when notice.Body == PostgresNotifications.MessagesKind:
                wakeup.Messages.Pulse();
                break;
            case PostgresNotifications.OutboxChannel when notice.Body == PostgresNotifications.DeliveriesKind:
                wakeup.Deliveries.Pulse();
                break;
            case PostgresNotifications.EntitlementsChannel when Guid.TryParseExact(notice.Body, "N", out var accountId):
                entitlements.Invalidate(accountId);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other instances' outbox and entitlement notices.")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notice listener lost its PostgreSQL connection ({Error}); reconnecting in {Delay}.")]
    private static partial void LogConnectionLost(ILogger logger, string error, TimeSpan delay);
}
