using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Billing;

/// <summary>
/// <see cref="IBillingFactsStore"/> over the <see cref="AppDbContext"/>. Every lookup checks the change tracker
/// first, so aggregates added or changed earlier in the unit of work are seen before anything is saved; nothing
/// here saves. Parked events are stored one row per wait key and found by an indexed equality on it.
/// </summary>
internal sealed class EfBillingFactsStore(AppDbContext db) : IBillingFactsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly FrozenDictionary<string, Type> EventTypes = new[]
    {
        typeof(CheckoutCompleted), typeof(CheckoutExpired), typeof(SubscriptionChanged), typeof(SubscriptionDeleted),
        typeof(InvoicePaid), typeof(InvoicePaymentFailed), typeof(PaymentSucceeded), typeof(PaymentFailed), typeof(RefundRecorded),
        typeof(CustomerUpdated),
    }.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public async Task<BillingAccount?> FindAccountAsync(Guid billingAccountId, CancellationToken cancellationToken) =>
        db.BillingAccounts.Local.FirstOrDefault(a => a.Id == billingAccountId)
        ?? await db.BillingAccounts.FirstOrDefaultAsync(a => a.Id == billingAccountId, cancellationToken);

    public async Task<BillingAccount?> FindAccountByCustomerAsync(string provider, string customerId, CancellationToken cancellationToken) =>
        db.BillingAccounts.Local.FirstOrDefault(a => string.Equals(a.CustomerIdFor(provider), customerId, StringComparison.Ordinal))
        ?? await db.BillingAccounts.FirstOrDefaultAsync(
            a => a.Customers.Any(c => c.Provider == provider && c.CustomerId == customerId), cancellationToken);

    public async Task<Subscription?> FindSubscriptionAsync(string provider, string providerSubscriptionId, CancellationToken cancellationToken) =>
        db.Subscriptions.Local.FirstOrDefault(s => s.Provider == provider && s.ProviderSubscriptionId == providerSubscriptionId)
        ?? await db.Subscriptions.FirstOrDefaultAsync(
            s => s.Provider == provider && s.ProviderSubscriptionId == providerSubscriptionId, cancellationToken);

    public void AddSubscription(Subscription subscription) => db.Subscriptions.Add(subscription);

    public async Task<IReadOnlyList<Subscription>> ListLiveSubscriptionsAsync(Guid billingAccountId, CancellationToken cancellationToken)
    {
        // Loading tracks them, so Local then holds both the stored ones and those added in this unit of work.
        await db.Subscriptions
            .Where(s => s.BillingAccountId == billingAccountId
                        && s.Status != SubscriptionStatus.Canceled && s.Status != SubscriptionStatus.IncompleteExpired)
            .LoadAsync(cancellationToken);
        return db.Subscriptions.Local.Where(s => s.BillingAccountId == billingAccountId && !s.IsTerminal).ToList();
    }

    public async Task<Payment?> FindPaymentAsync(string provider, string providerPaymentId, CancellationToken cancellationToken) =>
        db.Payments.Local.FirstOrDefault(p => p.Provider == provider && p.ProviderPaymentId == providerPaymentId)
        ?? await db.Payments.FirstOrDefaultAsync(p => p.Provider == provider && p.ProviderPaymentId == providerPaymentId, cancellationToken);

    public void AddPayment(Payment payment) => db.Payments.Add(payment);

    public async Task<Invoice?> FindInvoiceAsync(string provider, string providerInvoiceId, CancellationToken cancellationToken) =>
        db.Invoices.Local.FirstOrDefault(i => i.Provider == provider && i.ProviderInvoiceId == providerInvoiceId)
        ?? await db.Invoices.FirstOrDefaultAsync(i => i.Provider == provider && i.ProviderInvoiceId == providerInvoiceId, cancellationToken);

    public void AddInvoice(Invoice invoice) => db.Invoices.Add(invoice);

    public async Task<CheckoutSession?> FindCheckoutSessionAsync(string provider, string providerSessionId, CancellationToken cancellationToken) =>
        db.CheckoutSessions.Local.FirstOrDefault(s => s.Provider == provider && s.ProviderSessionId == providerSessionId)
        ?? await db.CheckoutSessions.FirstOrDefaultAsync(
            s => s.Provider == provider && s.ProviderSessionId == providerSessionId, cancellationToken);

    /// <remarks>
    /// The interface is synchronous, so the earlier rows of the same event are read with a synchronous query
    /// (tracked, so rows taken earlier in this unit of work stay deleted).
    /// </remarks>
    public void AddPending(PendingProviderEvent pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var e = pending.Event;

        var existing = db.PendingProviderEvents.Where(r => r.Provider == e.Provider && r.ProviderEventId == e.ProviderEventId).ToList();
        existing.AddRange(db.PendingProviderEvents.Local.Where(r => r.Provider == e.Provider && r.ProviderEventId == e.ProviderEventId));
        RemoveLive(existing.Distinct());

        var type = e.GetType();
        var payload = JsonSerializer.Serialize(e, type, Json);
        foreach (var key in pending.WaitingFor.Distinct(StringComparer.Ordinal))
        {
            db.PendingProviderEvents.Add(new PendingProviderEventRecord(
                Guid.NewGuid(), e.Provider, e.ProviderEventId, key, type.Name, payload, Truncate(pending.Reason), pending.ParkedAt));
        }
    }

    public async Task<IReadOnlyList<PendingProviderEvent>> TakePendingAsync(string waitingFor, CancellationToken cancellationToken)
    {
        await db.PendingProviderEvents.Where(r => r.WaitKey == waitingFor).LoadAsync(cancellationToken);
        var events = db.PendingProviderEvents.Local
            .Where(r => r.WaitKey == waitingFor)
            .Select(r => (r.Provider, r.ProviderEventId))
            .Distinct()
            .ToList();

        var taken = new List<PendingProviderEvent>();
        foreach (var (provider, eventId) in events)
        {
            await db.PendingProviderEvents.Where(r => r.Provider == provider && r.ProviderEventId == eventId).LoadAsync(cancellationToken);
            var rows = db.PendingProviderEvents.Local.Where(r => r.Provider == provider && r.ProviderEventId == eventId).ToList();
            var first = rows[0];
            var providerEvent = (ProviderEvent)JsonSerializer.Deserialize(first.Payload, EventTypes[first.EventType], Json)!;
            taken.Add(new PendingProviderEvent(
                providerEvent, [.. rows.Select(r => r.WaitKey).Order(StringComparer.Ordinal)], first.Reason, first.ParkedAt));
            RemoveLive(rows);
        }

        return taken;
    }

    public async Task<bool> IsPendingAsync(string provider, string providerEventId, CancellationToken cancellationToken)
    {
        await db.PendingProviderEvents.Where(r => r.Provider == provider && r.ProviderEventId == providerEventId).LoadAsync(cancellationToken);
        return db.PendingProviderEvents.Local.Any(r =>
            r.Provider == provider && r.ProviderEventId == providerEventId && db.Entry(r).State != EntityState.Deleted);
    }

    private void RemoveLive(IEnumerable<PendingProviderEventRecord> rows)
    {
        foreach (var row in rows.Where(r => db.Entry(r).State != EntityState.Deleted).ToList())
        {
            db.PendingProviderEvents.Remove(row);
        }
    }

    private static string Truncate(string value) =>
        value.Length <= PendingProviderEventRecord.ReasonMaxLength ? value : value[..PendingProviderEventRecord.ReasonMaxLength];
}
