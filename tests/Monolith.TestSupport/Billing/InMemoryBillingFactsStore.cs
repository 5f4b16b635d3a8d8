using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.TestSupport.Billing;

/// <summary>The reference facts store over plain lists (what the EF store must match), plus a comparable projection.</summary>
public sealed class InMemoryBillingFactsStore : IBillingFactsStore
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

    public Task<IReadOnlyList<Subscription>> ListLiveSubscriptionsAsync(Guid billingAccountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Subscription>>(_subscriptions.Where(s => s.BillingAccountId == billingAccountId && !s.IsTerminal).ToList());

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

    public Task<bool> IsPendingAsync(string provider, string providerEventId, CancellationToken cancellationToken) =>
        Task.FromResult(_pending.ContainsKey((provider, providerEventId)));

    /// <summary>Every fact the store holds, as <see cref="BillingProjection"/> (equal projections = equal billing state).</summary>
    public string Project() => BillingProjection.Project(
        _accounts, _subscriptions, _payments, _invoices, _sessions, _pending.Values.Select(p => (p.Event.Provider, p.Event.ProviderEventId)));
}
