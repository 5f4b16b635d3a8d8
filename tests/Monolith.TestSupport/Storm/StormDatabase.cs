using System.Globalization;
using Npgsql;

namespace Monolith.TestSupport.Storm;

/// <summary>
/// The storm's side of the database: the app's settings for a Stripe run, seeding the accounts (organisation,
/// billing account, Stripe customer link — what a completed checkout leaves behind) and the correctness check after
/// the storm, all in plain SQL so the check does not share code with what it checks.
/// </summary>
public static class StormDatabase
{
    public const string WebhookSecret = "whsec_storm_0123456789abcdef0123456789";

    /// <summary>
    /// Environment for the real app: PostgreSQL at <paramref name="connectionString"/> (migrated at start-up), the
    /// Stripe adapter with <see cref="WebhookSecret"/>, its API at <paramref name="stripeApiBase"/> (webhooks never
    /// call it), and a Stripe price id for every sellable price of the default catalogue.
    /// </summary>
    public static Dictionary<string, string> AppEnvironment(string connectionString, string stripeApiBase) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = connectionString,
        ["Database__MigrateOnStartup"] = "true",
        ["Payments__Provider"] = "Stripe",
        ["Payments__Stripe__SecretKey"] = "sk_test_storm_not_a_real_key_0123456789",
        ["Payments__Stripe__WebhookSecrets__0"] = WebhookSecret,
        ["Payments__Stripe__ApiBase"] = stripeApiBase,
        ["Billing__Plans__0__Prices__0__ProviderPriceIds__stripe"] = "price_storm_free_monthly",
        ["Billing__Plans__1__Prices__0__ProviderPriceIds__stripe"] = StripeStorm.PriceId,
        ["Billing__Plans__1__Prices__1__ProviderPriceIds__stripe"] = "price_storm_pro_yearly",
        ["Billing__Plans__2__Prices__0__ProviderPriceIds__stripe"] = "price_storm_team_monthly",
        ["Billing__Plans__2__Prices__1__ProviderPriceIds__stripe"] = "price_storm_team_yearly",
        ["Billing__Plans__3__Prices__0__ProviderPriceIds__stripe"] = StripeStorm.LifetimePriceId,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Inserts each account's organisation, billing account and Stripe customer link (one transaction).</summary>
    public static async Task SeedAsync(string connectionString, IEnumerable<StormAccount> accounts, bool linkCustomers = true)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var account in accounts)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(Command(
                "INSERT INTO organizations (id, name, is_personal, created_at, version) VALUES ($1, $2, false, $3, 1)",
                account.OrganizationId, $"Storm {account.CustomerId}", now));
            batch.BatchCommands.Add(Command(
                "INSERT INTO billing_accounts (id, organization_id, has_used_trial, opened_at, version) VALUES ($1, $2, false, $3, 1)",
                account.BillingAccountId, account.OrganizationId, now));
            if (linkCustomers)
            {
                batch.BatchCommands.Add(Command(
                    "INSERT INTO billing_provider_customers (billing_account_id, provider, customer_id, linked_at) VALUES ($1, 'stripe', $2, $3)",
                    account.BillingAccountId, account.CustomerId, now));
            }

            await batch.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private const string ReceivedCount = "(SELECT count(*) FROM billing_webhook_events WHERE status = 'Received')";

    /// <summary>Polls until every received webhook has been applied by the background applier (or the deadline passes).</summary>
    public static Task<bool> WaitForInboxAsync(string connectionString, TimeSpan timeout) =>
        WaitForZeroAsync(connectionString, $"SELECT {ReceivedCount}", timeout);

    /// <summary>
    /// Polls until every received webhook is applied, every outbox message fanned out and every delivery succeeded (or
    /// the deadline passes).
    /// </summary>
    public static Task<bool> WaitForOutboxAsync(string connectionString, TimeSpan timeout) =>
        WaitForZeroAsync(connectionString,
            $"SELECT {ReceivedCount} + " +
            "(SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL) + (SELECT count(*) FROM outbox_deliveries WHERE state <> 'Succeeded')",
            timeout);

    private static async Task<bool> WaitForZeroAsync(string connectionString, string countSql, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var open = await ScalarAsync(connectionString, countSql);
            if (open == 0)
            {
                return true;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Every way the stored state can differ from the storm's histories applied in order, as readable lines; empty
    /// when the run is correct. Checks per account: the subscription (status, period end, cancel flag), every invoice
    /// (status, attempts) and no extra ones, every one-time payment captured and fulfilled once. Globally: each event
    /// in the inbox once and none failed or still parked, one delivery and one processed marker per message × handler,
    /// every delivery succeeded, one capture message and one fulfilment per one-time payment.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string connectionString, StripeStorm storm)
    {
        ArgumentNullException.ThrowIfNull(storm);
        var violations = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        var subscriptions = await RowsAsync(connection,
            "SELECT provider_subscription_id, status, current_period_end, cancel_at_period_end, billing_account_id FROM billing_subscriptions WHERE provider = 'stripe'",
            r => (Id: r.GetString(0), Status: r.GetString(1), PeriodEnd: r.GetFieldValue<DateTimeOffset>(2), Cancel: r.GetBoolean(3), Account: r.GetGuid(4)));
        var invoices = await RowsAsync(connection,
            "SELECT provider_invoice_id, status, attempt_count, billing_account_id FROM billing_invoices WHERE provider = 'stripe'",
            r => (Id: r.GetString(0), Status: r.GetString(1), Attempts: r.GetInt32(2), Account: r.GetGuid(3)));
        var payments = await RowsAsync(connection,
            "SELECT p.provider_payment_id, p.status, p.billing_account_id, (SELECT count(*) FROM billing_fulfilments f WHERE f.payment_id = p.id) FROM billing_payments p WHERE p.provider = 'stripe'",
            r => (Id: r.GetString(0), Status: r.GetString(1), Account: r.GetGuid(2), Fulfilments: r.GetInt64(3)));
        var subscriptionsById = subscriptions.ToLookup(s => s.Id);
        var invoicesById = invoices.ToLookup(i => i.Id);
        var paymentsById = payments.ToLookup(p => p.Id);

        foreach (var account in storm.Accounts)
        {
            var subscription = subscriptionsById[account.SubscriptionId].ToList();
            if (subscription.Count != 1)
            {
                violations.Add($"{account.SubscriptionId}: {subscription.Count} subscription rows, expected 1");
            }
            else if (subscription[0] is var s && (s.Status != account.ExpectedStatus || s.PeriodEnd != account.ExpectedPeriodEnd
                         || s.Cancel != account.ExpectedCancelAtPeriodEnd || s.Account != account.BillingAccountId))
            {
                violations.Add($"{account.SubscriptionId}: stored {s.Status}/{s.PeriodEnd:O}/cancel={s.Cancel}, " +
                               $"expected {account.ExpectedStatus}/{account.ExpectedPeriodEnd:O}/cancel={account.ExpectedCancelAtPeriodEnd}");
            }

            foreach (var expected in account.ExpectedInvoices)
            {
                var stored = invoicesById[expected.ProviderInvoiceId].ToList();
                if (stored.Count != 1 || stored[0].Status != expected.Status || stored[0].Attempts != expected.AttemptCount || stored[0].Account != account.BillingAccountId)
                {
                    violations.Add($"{expected.ProviderInvoiceId}: stored {string.Join(", ", stored.Select(i => $"{i.Status}/attempts={i.Attempts}"))}, " +
                                   $"expected {expected.Status}/attempts={expected.AttemptCount}");
                }
            }

            foreach (var paymentId in account.OneTimePaymentIds)
            {
                var stored = paymentsById[paymentId].ToList();
                if (stored.Count != 1 || stored[0].Status != "Succeeded" || stored[0].Fulfilments != 1 || stored[0].Account != account.BillingAccountId)
                {
                    violations.Add($"{paymentId}: stored {string.Join(", ", stored.Select(p => $"{p.Status}/fulfilments={p.Fulfilments}"))}, expected Succeeded/fulfilments=1");
                }
            }
        }

        var expectedInvoices = storm.Accounts.Sum(a => a.ExpectedInvoices.Count);
        var expectedPayments = storm.Accounts.Sum(a => a.OneTimePaymentIds.Count);
        Expect(violations, "subscription rows", subscriptions.Count, storm.Accounts.Count);
        Expect(violations, "invoice rows", invoices.Count, expectedInvoices);
        Expect(violations, "payment rows", payments.Count, expectedPayments);

        // Inbox: every distinct event once, none failed or waiting.
        Expect(violations, "inbox rows", await ScalarAsync(connection, "SELECT count(*) FROM billing_webhook_events WHERE provider = 'stripe'"), storm.DistinctEvents);
        Expect(violations, "inbox event ids stored more than once",
            await ScalarAsync(connection, "SELECT count(*) FROM (SELECT provider_event_id FROM billing_webhook_events GROUP BY provider, provider_event_id HAVING count(*) > 1) d"), 0);
        Expect(violations, "inbox rows failed or parked",
            await ScalarAsync(connection, "SELECT count(*) FROM billing_webhook_events WHERE status NOT IN ('Applied', 'Ignored')"), 0);
        Expect(violations, "parked provider events", await ScalarAsync(connection, "SELECT count(*) FROM billing_pending_provider_events"), 0);

        // Outbox: one delivery and one marker per message × handler, all succeeded; captures and fulfilments once per payment.
        Expect(violations, "messages not fanned out", await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL"), 0);
        Expect(violations, "deliveries not succeeded", await ScalarAsync(connection, "SELECT count(*) FROM outbox_deliveries WHERE state <> 'Succeeded'"), 0);
        Expect(violations, "duplicated deliveries (message × handler)",
            await ScalarAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM outbox_deliveries GROUP BY message_id, handler HAVING count(*) > 1) d"), 0);
        Expect(violations, "duplicated processed markers (message × handler)",
            await ScalarAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM outbox_processed GROUP BY message_id, handler HAVING count(*) > 1) d"), 0);
        Expect(violations, "processed markers vs succeeded deliveries",
            await ScalarAsync(connection, "SELECT count(*) FROM outbox_processed"),
            await ScalarAsync(connection, "SELECT count(*) FROM outbox_deliveries WHERE state = 'Succeeded'"));
        Expect(violations, "deliveries without a processed marker",
            await ScalarAsync(connection, "SELECT count(*) FROM outbox_deliveries d WHERE NOT EXISTS (SELECT 1 FROM outbox_processed p WHERE p.message_id = d.message_id AND p.handler = d.handler)"), 0);
        Expect(violations, "PaymentCaptured messages", await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE type = 'PaymentCaptured'"), expectedPayments);
        Expect(violations, "fulfilments", await ScalarAsync(connection, "SELECT count(*) FROM billing_fulfilments"), expectedPayments);
        Expect(violations, "OneTimePurchaseFulfilled messages", await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE type = 'OneTimePurchaseFulfilled'"), expectedPayments);
        return violations;
    }

    /// <summary>Delivery states with counts, highest attempt and a last error, for failure messages.</summary>
    public static async Task<string> OutboxSummaryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = await RowsAsync(connection,
            "SELECT state, count(*), max(attempts), max(last_error) FROM outbox_deliveries GROUP BY state",
            r => $"{r.GetString(0)}={r.GetInt64(1)} (max attempts {r.GetInt32(2)}{(r.IsDBNull(3) ? string.Empty : $", last error {r.GetString(3)}")})");
        var undispatched = await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL");
        return $"{string.Join("; ", rows)}; undispatched messages {undispatched}";
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await ScalarAsync(connection, sql);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<T>> RowsAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static void Expect(List<string> violations, string what, long actual, long expected)
    {
        if (actual != expected)
        {
            violations.Add($"{what}: {actual}, expected {expected}");
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
