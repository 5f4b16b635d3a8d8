using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport.Billing;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>
/// Every field of the billing aggregates as one sorted text per state, so two states (in memory, reloaded from a
/// database) compare with one equality and a readable diff.
/// </summary>
internal static class BillingState
{
    public static string Describe(BillingAccount a) => Line(
        "account", a.Id, a.OrganizationId, a.HasUsedTrial, a.OpenedAt,
        string.Join(',', a.Customers.Select(c => $"{c.BillingAccountId:N}/{c.Provider}:{c.CustomerId}@{c.LinkedAt:O}").Order(StringComparer.Ordinal)));

    public static string Describe(Subscription s) => Line(
        "subscription", s.Provider, s.ProviderSubscriptionId, s.Id, s.BillingAccountId, s.Status, s.PriceId, s.PlanId, s.Quantity,
        s.CurrentPeriodStart, s.CurrentPeriodEnd, s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.EndedAt, s.LastSnapshotAt);

    public static string Describe(Payment p) => Line(
        "payment", p.Provider, p.ProviderPaymentId, p.Id, p.BillingAccountId, p.Kind, p.ProviderInvoiceId, p.Amount, p.Status,
        p.FailedAt, p.FailureCode, p.SucceededAt, p.CanceledAt, p.CapturedAmount, p.RefundedAmount,
        string.Join(',', p.Captures.Select(c => $"{c.PaymentId:N}/{c.ProviderChargeId}={c.Amount}@{c.CapturedAt:O}").Order(StringComparer.Ordinal)),
        string.Join(',', p.Refunds.Select(r => $"{r.PaymentId:N}/{r.ProviderRefundId}={r.Amount}/{r.Reason}@{r.RefundedAt:O}").Order(StringComparer.Ordinal)));

    public static string Describe(Invoice i) => Line(
        "invoice", i.Provider, i.ProviderInvoiceId, i.Id, i.BillingAccountId, i.ProviderSubscriptionId, i.Status, i.AmountDue, i.AmountPaid,
        i.PeriodStart, i.PeriodEnd, i.HostedUrl, i.PdfUrl, i.AttemptCount, i.PaidAt, i.ClosedAt);

    public static string Describe(CheckoutSession s) => Line(
        "checkout", s.Provider, s.ProviderSessionId, s.Id, s.BillingAccountId, s.PriceId, s.Mode, s.Status, s.CreatedAt, s.ExpiresAt, s.ClosedAt,
        s.ProviderResultId);

    public static string Describe(WebhookEvent w) => Line(
        "webhook", w.Provider, w.ProviderEventId, w.Id, w.Type, w.Payload, w.ReceivedAt, w.Status, w.Error, w.Attempts, w.ProcessedAt);

    public static string Describe(UsageEvent u) => Line(
        "usage", u.Id, u.BillingAccountId, u.FeatureId, u.Quantity, u.IdempotencyKey, u.PeriodStart, u.PeriodEnd, u.Mode, u.RecordedAt);

    /// <summary>See <see cref="BillingProjection.Project"/>.</summary>
    public static string Project(
        IEnumerable<BillingAccount> accounts, IEnumerable<Subscription> subscriptions, IEnumerable<Payment> payments, IEnumerable<Invoice> invoices,
        IEnumerable<CheckoutSession> sessions, IEnumerable<(string Provider, string EventId)> pending) =>
        BillingProjection.Project(accounts, subscriptions, payments, invoices, sessions, pending);

    /// <summary>The projection of everything one provider's events produced for one account, read in a fresh context.</summary>
    public static async Task<string> ProjectAsync(AppDbContext db, Guid accountId, string provider)
    {
        var accounts = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == accountId).ToListAsync();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.Provider == provider).ToListAsync();
        var payments = await db.Payments.AsNoTracking().Where(p => p.Provider == provider).ToListAsync();
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.Provider == provider).ToListAsync();
        var sessions = await db.CheckoutSessions.AsNoTracking().Where(s => s.Provider == provider).ToListAsync();
        var pending = await db.PendingProviderEvents.AsNoTracking().Where(p => p.Provider == provider)
            .Select(p => new { p.Provider, p.ProviderEventId }).ToListAsync();
        return Project(accounts, subscriptions, payments, invoices, sessions, pending.Select(p => (p.Provider, p.ProviderEventId)));
    }

    private static string Line(params object?[] values) =>
        string.Join(" | ", values.Select(v => v switch
        {
            null => "-",
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }));
}
