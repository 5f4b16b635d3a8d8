using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Reconciliation;

/// <summary>What reconciling one object did: the drift reports written (empty when nothing differed).</summary>
public sealed record ReconcileResult(int Checked, IReadOnlyList<Guid> DriftReportIds);

/// <summary>
/// Re-fetches one object from the provider and feeds the provider's truth through the same
/// <see cref="ProviderEventApplier"/> as webhooks, so reconciliation can never disagree with the webhook path. When our
/// state changed, a <see cref="BillingDriftReport"/> records before/after. A completed checkout whose subscription or
/// payment we never heard of (a dropped webhook) is followed: that object is fetched and applied too.
/// Never saves: the caller's transaction commits.
/// </summary>
internal sealed class BillingReconciler(IAppDbContext db, IPaymentsPort payments, ProviderEventApplier applier, IBillingFactsStore store, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<Guid>>> ReconcileAsync(ProviderObjectKind kind, string providerId, CancellationToken cancellationToken)
    {
        var reports = new List<Guid>();
        var first = await ReconcileOneAsync(kind, providerId, reports, cancellationToken);
        if (first.IsFailure)
        {
            return first.Error;
        }

        // A completed checkout names the subscription / payment it created; if we do not have it, its webhook was lost.
        if (first.Value is { } followUp)
        {
            var followed = await ReconcileOneAsync(followUp.Kind, followUp.ProviderId, reports, cancellationToken);
            if (followed.IsFailure && followed.Error != PaymentsErrors.NotFound)
            {
                return followed.Error;
            }
        }

        return reports;
    }

    private async Task<Result<ProviderObjectRef?>> ReconcileOneAsync(
        ProviderObjectKind kind, string providerId, List<Guid> reports, CancellationToken cancellationToken)
    {
        var provider = payments.Provider;
        var before = await DescribeAsync(kind, provider, providerId, cancellationToken);
        var fetched = await payments.FetchAsync(new ProviderObjectRef(kind, providerId), cancellationToken);
        if (fetched.IsFailure)
        {
            return fetched.Error;
        }

        var now = clock.GetUtcNow();
        var outcomes = new List<ProviderEventOutcome>();
        foreach (var providerEvent in fetched.Value)
        {
            var application = await applier.ApplyAsync(providerEvent, now, cancellationToken);
            outcomes.Add(application.Outcome);
            outcomes.AddRange(application.Replayed);
        }

        var after = await DescribeAsync(kind, provider, providerId, cancellationToken);
        if (!string.Equals(before.Summary, after.Summary, StringComparison.Ordinal))
        {
            var report = new BillingDriftReport(
                Guid.NewGuid(), now, kind.ToString(), provider, providerId, after.AccountId ?? before.AccountId, before.Summary, after.Summary,
                string.Join("; ", outcomes.Select(o => $"{o.Disposition}: {o.Detail}")));
            db.DriftReports.Add(report);
            reports.Add(report.Id);
        }

        return kind == ProviderObjectKind.CheckoutSession ? await MissingResultAsync(provider, providerId, cancellationToken) : (ProviderObjectRef?)null;
    }

    private async Task<ProviderObjectRef?> MissingResultAsync(string provider, string providerSessionId, CancellationToken cancellationToken)
    {
        var session = await store.FindCheckoutSessionAsync(provider, providerSessionId, cancellationToken);
        if (session is not { Status: CheckoutStatus.Complete, ProviderResultId: { Length: > 0 } resultId })
        {
            return null;
        }

        return session.Mode == CheckoutMode.Subscription
            ? await store.FindSubscriptionAsync(provider, resultId, cancellationToken) is null ? new ProviderObjectRef(ProviderObjectKind.Subscription, resultId) : null
            : await store.FindPaymentAsync(provider, resultId, cancellationToken) is null ? new ProviderObjectRef(ProviderObjectKind.Payment, resultId) : null;
    }

    /// <summary>A one-line summary of our state of the object (what a drift report shows as before/after).</summary>
    private async Task<(string Summary, Guid? AccountId)> DescribeAsync(
        ProviderObjectKind kind, string provider, string providerId, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ProviderObjectKind.Subscription:
                var s = await store.FindSubscriptionAsync(provider, providerId, cancellationToken);
                return s is null
                    ? ("absent", null)
                    : ($"status={s.Status}; price={s.PriceId}; quantity={s.Quantity}; period_end={s.CurrentPeriodEnd:O}; " +
                       $"cancel_at_period_end={s.CancelAtPeriodEnd}; ended_at={s.EndedAt:O}", s.BillingAccountId);
            case ProviderObjectKind.Payment:
                var p = await store.FindPaymentAsync(provider, providerId, cancellationToken);
                return p is null
                    ? ("absent", null)
                    : ($"status={p.Status}; captured={p.CapturedAmount.AmountMinor}; refunded={p.RefundedAmount.AmountMinor}; failure={p.FailureCode}",
                        p.BillingAccountId);
            default:
                var c = await store.FindCheckoutSessionAsync(provider, providerId, cancellationToken);
                return c is null ? ("absent", null) : ($"status={c.Status}; result={c.ProviderResultId}", c.BillingAccountId);
        }
    }
}

/// <summary>Which objects a sweep re-fetches: non-terminal subscriptions and payments, open checkouts older than a threshold.</summary>
public static class ReconciliationCandidates
{
    public static async Task<IReadOnlyList<ProviderObjectRef>> SelectAsync(
        IAppDbContext db, string provider, DateTimeOffset openCheckoutsBefore, Guid? billingAccountId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subscriptions = db.Subscriptions.AsNoTracking()
            .Where(s => s.Provider == provider && s.Status != Domain.Billing.Subscriptions.SubscriptionStatus.Canceled
                        && s.Status != Domain.Billing.Subscriptions.SubscriptionStatus.IncompleteExpired);
        var paymentsQuery = db.Payments.AsNoTracking()
            .Where(p => p.Provider == provider && p.Status != PaymentStatus.Succeeded && p.Status != PaymentStatus.Canceled);
        var checkouts = db.CheckoutSessions.AsNoTracking()
            .Where(c => c.Provider == provider && c.Status == CheckoutStatus.Open && c.CreatedAt <= openCheckoutsBefore);
        if (billingAccountId is { } account)
        {
            subscriptions = subscriptions.Where(s => s.BillingAccountId == account);
            paymentsQuery = paymentsQuery.Where(p => p.BillingAccountId == account);
            checkouts = checkouts.Where(c => c.BillingAccountId == account);
        }

        // Checkouts first: completing one may create the subscription / payment the others would look for.
        var refs = new List<ProviderObjectRef>();
        refs.AddRange((await checkouts.OrderBy(c => c.ProviderSessionId).Select(c => c.ProviderSessionId).Take(limit).ToListAsync(cancellationToken))
            .Select(id => new ProviderObjectRef(ProviderObjectKind.CheckoutSession, id)));
        refs.AddRange((await subscriptions.OrderBy(s => s.ProviderSubscriptionId).Select(s => s.ProviderSubscriptionId).Take(limit).ToListAsync(cancellationToken))
            .Select(id => new ProviderObjectRef(ProviderObjectKind.Subscription, id)));
        refs.AddRange((await paymentsQuery.OrderBy(p => p.ProviderPaymentId).Select(p => p.ProviderPaymentId).Take(limit).ToListAsync(cancellationToken))
            .Select(id => new ProviderObjectRef(ProviderObjectKind.Payment, id)));
        return refs;
    }
}
