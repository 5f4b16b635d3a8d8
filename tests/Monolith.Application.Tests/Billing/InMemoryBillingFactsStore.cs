using System.Globalization;
using System.Text;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Tests.Billing;

/// <summary>The facts store over plain lists, plus a comparable projection of everything it holds.</summary>
internal sealed class InMemoryBillingFactsStore : IBillingFactsStore
{
    private readonly List<BillingAccount> _accounts = [];
    private readonly List<Subscription> _subscriptions = [];
    private readonly List<Payment> _payments = [];
    private readonly List<Invoice> _invoices = [];
    private readonly List<CheckoutSession> _sessions = [];
    private readonly Dictionary<(string, string), PendingProviderEvent> _pending = [];

    public IReadOnlyList<BillingAccount> Accounts => _accounts;
    public IReadOnlyList<Subscription> Subscriptions => _subscriptions;
    public IReadOnlyList<Payment> Payments => _payments;
    public IReadOnlyList<Invoice> Invoices => _invoices;
    public IReadOnlyList<CheckoutSession> Sessions => _sessions;
    public IReadOnlyCollection<PendingProviderEvent> Pending => _pending.Values;

    public void AddAccount(BillingAccount account) => _accounts.Add(account);

    public void AddCheckoutSession(CheckoutSession session) => _sessions.Add(session);

    public Task<BillingAccount?> FindAccountAsync(Guid billingAccountId, CancellationToken cancellationToken) =>
        Task.FromResult(_accounts.Find(a => a.Id == billingAccountId));

    public Task<BillingAccount?> FindAccountByCustomerAsync(string provider, string customerId, CancellationToken cancellationToken) =>
        Task.FromResult(_accounts.Find(a => a.CustomerIdFor(provider) == customerId));

    public Task<Subscription?> FindSubscriptionAsync(string provider, string providerSubscriptionId, CancellationToken cancellationToken) =>
        Task.FromResult(_subscriptions.Find(s => s.Provider == provider && s.ProviderSubscriptionId == providerSubscriptionId));

    public void AddSubscription(Subscription subscription) => _subscriptions.Add(subscription);

    public Task<Payment?> FindPaymentAsync(string provider, string providerPaymentId, CancellationToken cancellationToken) =>
        Task.FromResult(_payments.Find(p => p.Provider == provider && p.ProviderPaymentId == providerPaymentId));

    public void AddPayment(Payment payment) => _payments.Add(payment);

    public Task<Invoice?> FindInvoiceAsync(string provider, string providerInvoiceId, CancellationToken cancellationToken) =>
        Task.FromResult(_invoices.Find(i => i.Provider == provider && i.ProviderInvoiceId == providerInvoiceId));

    public void AddInvoice(Invoice invoice) => _invoices.Add(invoice);

    public Task<CheckoutSession?> FindCheckoutSessionAsync(string provider, string providerSessionId, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.Find(s => s.Provider == provider && s.ProviderSessionId == providerSessionId));

    public void AddPending(PendingProviderEvent pending) =>
        _pending[(pending.Event.Provider, pending.Event.ProviderEventId)] = pending;

    public Task<IReadOnlyList<PendingProviderEvent>> TakePendingAsync(string waitingFor, CancellationToken cancellationToken)
    {
        var taken = _pending.Where(p => p.Value.WaitingFor.Contains(waitingFor)).ToList();
        foreach (var (key, _) in taken)
        {
            _pending.Remove(key);
        }

        return Task.FromResult<IReadOnlyList<PendingProviderEvent>>([.. taken.Select(p => p.Value)]);
    }

    /// <summary>
    /// Every fact the store holds, keyed by provider ids (local ids are random), one line per aggregate, sorted:
    /// two stores with equal projections hold the same billing state. Processing bookkeeping (when we linked a
    /// customer or parked an event) is left out: it records our clock, not a provider fact.
    /// </summary>
    public string Project()
    {
        var lines = new List<string>();
        lines.AddRange(_accounts.Select(a => Line(
            "account", a.Id, a.OrganizationId, a.HasUsedTrial,
            string.Join(',', a.Customers.Select(c => $"{c.Provider}:{c.CustomerId}").Order(StringComparer.Ordinal)))));
        lines.AddRange(_subscriptions.Select(s => Line(
            "subscription", s.Provider, s.ProviderSubscriptionId, s.BillingAccountId, s.Status, s.PriceId, s.PlanId, s.Quantity,
            s.CurrentPeriodStart, s.CurrentPeriodEnd, s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.EndedAt, s.LastSnapshotAt)));
        lines.AddRange(_payments.Select(p => Line(
            "payment", p.Provider, p.ProviderPaymentId, p.BillingAccountId, p.Kind, p.ProviderInvoiceId, p.Amount, p.Status,
            p.FailedAt, p.FailureCode, p.SucceededAt, p.CanceledAt, p.CapturedAmount, p.RefundedAmount,
            string.Join(',', p.Captures.Select(c => $"{c.ProviderChargeId}={c.Amount}@{c.CapturedAt:O}").Order(StringComparer.Ordinal)),
            string.Join(',', p.Refunds.Select(r => $"{r.ProviderRefundId}={r.Amount}/{r.Reason}@{r.RefundedAt:O}").Order(StringComparer.Ordinal)))));
        lines.AddRange(_invoices.Select(i => Line(
            "invoice", i.Provider, i.ProviderInvoiceId, i.BillingAccountId, i.ProviderSubscriptionId, i.Status, i.AmountDue, i.AmountPaid,
            i.PeriodStart, i.PeriodEnd, i.HostedUrl, i.PdfUrl, i.AttemptCount, i.PaidAt, i.ClosedAt)));
        lines.AddRange(_sessions.Select(s => Line(
            "checkout", s.Provider, s.ProviderSessionId, s.BillingAccountId, s.PriceId, s.Mode, s.Status, s.ClosedAt, s.ProviderResultId)));
        lines.AddRange(_pending.Values.Select(p => Line("pending", p.Event.Provider, p.Event.ProviderEventId)));
        lines.Sort(StringComparer.Ordinal);

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }

        return text.ToString();
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
