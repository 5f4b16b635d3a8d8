using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Application.Billing.ProviderEvents;

/// <summary>
/// What <see cref="ProviderEventApplier"/> needs from persistence. Lookups must see aggregates added or changed
/// earlier in the same unit of work (the applier links a customer and then replays events waiting for it).
/// </summary>
public interface IBillingFactsStore
{
    Task<BillingAccount?> FindAccountAsync(Guid billingAccountId, CancellationToken cancellationToken);

    Task<BillingAccount?> FindAccountByCustomerAsync(string provider, string customerId, CancellationToken cancellationToken);

    Task<Subscription?> FindSubscriptionAsync(string provider, string providerSubscriptionId, CancellationToken cancellationToken);

    void AddSubscription(Subscription subscription);

    /// <summary>The account's subscriptions that have not ended (canceled, incomplete_expired), tracked or stored.</summary>
    Task<IReadOnlyList<Subscription>> ListLiveSubscriptionsAsync(Guid billingAccountId, CancellationToken cancellationToken);

    Task<Payment?> FindPaymentAsync(string provider, string providerPaymentId, CancellationToken cancellationToken);

    void AddPayment(Payment payment);

    Task<Invoice?> FindInvoiceAsync(string provider, string providerInvoiceId, CancellationToken cancellationToken);

    void AddInvoice(Invoice invoice);

    Task<CheckoutSession?> FindCheckoutSessionAsync(string provider, string providerSessionId, CancellationToken cancellationToken);

    /// <summary>Parks an event; parking the same (provider, event id) again replaces the earlier entry.</summary>
    void AddPending(PendingProviderEvent pending);

    /// <summary>Removes and returns every parked event that waits for <paramref name="waitingFor"/>.</summary>
    Task<IReadOnlyList<PendingProviderEvent>> TakePendingAsync(string waitingFor, CancellationToken cancellationToken);

    /// <summary>Whether (provider, event id) is still parked, counting what this unit of work parked or took.</summary>
    Task<bool> IsPendingAsync(string provider, string providerEventId, CancellationToken cancellationToken);
}

/// <summary>
/// An event that cannot be attributed to a billing account yet. It waits for any of <see cref="WaitingFor"/>
/// (see <see cref="PendingKeys"/>) and is re-applied when one of them appears.
/// </summary>
public sealed record PendingProviderEvent(ProviderEvent Event, IReadOnlyList<string> WaitingFor, string Reason, DateTimeOffset ParkedAt);

/// <summary>The keys parked events wait for. Stable strings, so a database can index them.</summary>
public static class PendingKeys
{
    public static string Account(Guid billingAccountId) => $"account:{billingAccountId:N}";

    public static string Customer(string provider, string customerId) => $"customer:{provider}:{customerId}";

    public static string Subscription(string provider, string providerSubscriptionId) => $"subscription:{provider}:{providerSubscriptionId}";

    public static string Invoice(string provider, string providerInvoiceId) => $"invoice:{provider}:{providerInvoiceId}";

    public static string Payment(string provider, string providerPaymentId) => $"payment:{provider}:{providerPaymentId}";
}
