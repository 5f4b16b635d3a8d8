using System.Globalization;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.TestSupport.Billing;

/// <summary>
/// The provider-derived billing state as one sorted text (keyed by provider ids; our clock's bookkeeping left out), so
/// two states — in memory, or reloaded from a database — compare with one equality and a readable diff.
/// </summary>
public static class BillingProjection
{
    /// <summary>
    /// The provider-derived state, keyed by provider ids (local ids of aggregates the applier creates are random):
    /// the projection the convergence tests compare.
    /// </summary>
    public static string Project(
        IEnumerable<BillingAccount> accounts, IEnumerable<Subscription> subscriptions, IEnumerable<Payment> payments, IEnumerable<Invoice> invoices,
        IEnumerable<CheckoutSession> sessions, IEnumerable<(string Provider, string EventId)> pending)
    {
        var lines = new List<string>();
        lines.AddRange(accounts.Select(a => Line(
            "account", a.Id, a.OrganizationId, a.HasUsedTrial,
            string.Join(',', a.Customers.Select(c => $"{c.Provider}:{c.CustomerId}").Order(StringComparer.Ordinal)))));
        lines.AddRange(subscriptions.Select(s => Line(
            "subscription", s.Provider, s.ProviderSubscriptionId, s.BillingAccountId, s.Status, s.PriceId, s.PlanId, s.Quantity,
            s.CurrentPeriodStart, s.CurrentPeriodEnd, s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.EndedAt, s.LastSnapshotAt)));
        lines.AddRange(payments.Select(p => Line(
            "payment", p.Provider, p.ProviderPaymentId, p.BillingAccountId, p.Kind, p.ProviderInvoiceId, p.Amount, p.Status,
            p.FailedAt, p.FailureCode, p.SucceededAt, p.CanceledAt, p.CapturedAmount, p.RefundedAmount,
            string.Join(',', p.Captures.Select(c => $"{c.ProviderChargeId}={c.Amount}@{c.CapturedAt:O}").Order(StringComparer.Ordinal)),
            string.Join(',', p.Refunds.Select(r => $"{r.ProviderRefundId}={r.Amount}/{r.Reason}@{r.RefundedAt:O}").Order(StringComparer.Ordinal)))));
        lines.AddRange(invoices.Select(i => Line(
            "invoice", i.Provider, i.ProviderInvoiceId, i.BillingAccountId, i.ProviderSubscriptionId, i.Status, i.AmountDue, i.AmountPaid,
            i.PeriodStart, i.PeriodEnd, i.HostedUrl, i.PdfUrl, i.AttemptCount, i.PaidAt, i.ClosedAt)));
        lines.AddRange(sessions.Select(s => Line(
            "checkout", s.Provider, s.ProviderSessionId, s.BillingAccountId, s.PriceId, s.Mode, s.Status, s.ClosedAt, s.ProviderResultId)));
        lines.AddRange(pending.Distinct().Select(p => Line("pending", p.Provider, p.EventId)));
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
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
