using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.ProviderEvents;

/// <summary>
/// Folds normalized provider events into the billing aggregates so that any order and any number of duplicates of
/// the same events end in the same state (docs/billing-convergence.md). It changes aggregates through the store
/// and never saves; the caller's transaction commits.
/// </summary>
public sealed class ProviderEventApplier(IBillingFactsStore store, PlanCatalog? catalog = null)
{
    private static readonly Error Unattributable = Error.Rule(
        "billing.provider_event.unattributable", "The event names no customer, account or known object, so it cannot be attributed.");

    private static readonly Error AccountMismatch = Error.Conflict(
        "billing.provider_event.account_mismatch", "The event names a different billing account than the object it refers to.");

    public async Task<ProviderEventApplication> ApplyAsync(ProviderEvent providerEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providerEvent);

        var step = await ApplyOrParkAsync(providerEvent, now, cancellationToken);
        var replayed = await ReplayAsync(step.Released, now, cancellationToken);
        return new ProviderEventApplication(step.Outcome, replayed);
    }

    /// <summary>Re-applies events waiting for <paramref name="waitingFor"/>, e.g. after a billing account was opened.</summary>
    public Task<IReadOnlyList<ProviderEventOutcome>> ReleaseAsync(string waitingFor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReplayAsync([waitingFor], now, cancellationToken);

    private async Task<IReadOnlyList<ProviderEventOutcome>> ReplayAsync(
        IReadOnlyList<string> released, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcomes = new List<ProviderEventOutcome>();
        var keys = new Queue<string>(released);
        while (keys.TryDequeue(out var key))
        {
            var waiting = await store.TakePendingAsync(key, cancellationToken);
            foreach (var pending in waiting.OrderBy(p => p.Event.OccurredAt).ThenBy(p => p.Event.ProviderEventId, StringComparer.Ordinal))
            {
                var step = await ApplyOrParkAsync(pending.Event, now, cancellationToken);
                outcomes.Add(step.Outcome);
                foreach (var next in step.Released)
                {
                    keys.Enqueue(next);
                }
            }
        }

        return outcomes;
    }

    private async Task<Step> ApplyOrParkAsync(ProviderEvent providerEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = BillingProvider.Normalize(providerEvent.Provider);
        if (provider.IsFailure)
        {
            return Step.Failed(providerEvent, provider.Error);
        }

        var step = providerEvent switch
        {
            CheckoutCompleted e => await ApplyAsync(e, provider.Value, now, cancellationToken),
            CheckoutExpired e => await ApplyAsync(e, provider.Value, cancellationToken),
            SubscriptionChanged e => await ApplySnapshotAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, e.Snapshot, cancellationToken),
            SubscriptionDeleted e => await ApplySnapshotAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, Final(e.Snapshot), cancellationToken),
            SubscriptionTrialWillEnd e => await ApplyAsync(e, provider.Value, cancellationToken),
            InvoicePaid e => await ApplyInvoiceAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, e.Invoice, e.AmountPaidMinor, cancellationToken),
            InvoicePaymentFailed e => await ApplyInvoiceAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, e.Invoice, null, cancellationToken),
            PaymentSucceeded e => await ApplyPaymentAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, e.Payment, cancellationToken),
            PaymentFailed e => await ApplyPaymentAsync(e, provider.Value, e.CustomerId, e.MetadataAccountId, e.Payment, cancellationToken),
            RefundRecorded e => await ApplyAsync(e, provider.Value, cancellationToken),
            CustomerUpdated e => await ApplyAsync(e, provider.Value, cancellationToken),
            _ => Step.Ignored(providerEvent, $"Unsupported event {providerEvent.GetType().Name}."),
        };

        if (step.Outcome.Disposition == ProviderEventDisposition.Parked)
        {
            store.AddPending(new PendingProviderEvent(providerEvent, step.WaitingFor, step.Outcome.Detail, now));
        }

        return step;
    }

    private async Task<Step> ApplyAsync(CheckoutCompleted e, string provider, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await store.FindCheckoutSessionAsync(provider, e.ProviderSessionId, cancellationToken);
        if (session is not null && e.ClientReferenceAccountId is { } reference && reference != session.BillingAccountId)
        {
            return Step.Failed(e, AccountMismatch);
        }

        var resolved = await ResolveAsync(provider, session?.BillingAccountId ?? e.ClientReferenceAccountId, e.CustomerId, [], cancellationToken);
        if (resolved.Account is not { } account)
        {
            return resolved.ToStep(e);
        }

        var released = new List<string>();
        var changed = false;
        if (!string.IsNullOrWhiteSpace(e.CustomerId) && account.CustomerIdFor(provider) is null)
        {
            var linked = account.LinkCustomer(provider, e.CustomerId, now);
            if (linked.IsFailure)
            {
                return Step.Failed(e, linked.Error);
            }

            changed = true;
            released.Add(PendingKeys.Customer(provider, e.CustomerId.Trim()));
        }
        else if (!string.IsNullOrWhiteSpace(e.CustomerId)
                 && !string.Equals(account.CustomerIdFor(provider), e.CustomerId.Trim(), StringComparison.Ordinal))
        {
            return Step.Failed(e, BillingAccountErrors.CustomerAlreadyLinked);
        }

        if (session is not null && session.CanTransitionTo(CheckoutStatus.Complete))
        {
            var completed = session.Complete(e.ProviderResultId, e.OccurredAt);
            if (completed.IsFailure)
            {
                return Step.Failed(e, completed.Error);
            }

            changed = true;
        }

        return changed
            ? Step.Applied(e, "Checkout completed.", released)
            : Step.Ignored(e, "Checkout completion already applied.");
    }

    private async Task<Step> ApplyAsync(CheckoutExpired e, string provider, CancellationToken cancellationToken)
    {
        var session = await store.FindCheckoutSessionAsync(provider, e.ProviderSessionId, cancellationToken);
        if (session is null)
        {
            return Step.Ignored(e, "No local checkout session to expire.");
        }

        if (!session.CanTransitionTo(CheckoutStatus.Expired))
        {
            return Step.Ignored(e, $"Checkout session is already {session.Status}.");
        }

        var expired = session.Expire(e.OccurredAt);
        return expired.IsFailure ? Step.Failed(e, expired.Error) : Step.Applied(e, "Checkout session expired.", []);
    }

    /// <summary>
    /// The snapshot it carries is applied like any other; a known subscription that is still trialing then raises
    /// <see cref="SubscriptionTrialEnding"/> (the trial-ending email hangs off it). The inbox makes it once per event.
    /// </summary>
    private async Task<Step> ApplyAsync(SubscriptionTrialWillEnd e, string provider, CancellationToken cancellationToken)
    {
        var subscription = await store.FindSubscriptionAsync(provider, e.Snapshot.ProviderSubscriptionId, cancellationToken);
        var step = await ApplySnapshotAsync(e, provider, e.CustomerId, e.MetadataAccountId, e.Snapshot, cancellationToken);
        if (subscription is null || step.Outcome.Disposition is ProviderEventDisposition.Failed or ProviderEventDisposition.Parked)
        {
            return step;
        }

        var noted = subscription.NoteTrialEnding(e.OccurredAt);
        return noted.IsSuccess ? Step.Applied(e, $"Trial ends at {subscription.TrialEnd:O}.", step.Released) : step;
    }

    private async Task<Step> ApplySnapshotAsync(
        ProviderEvent e, string provider, string customerId, Guid? metadataAccountId, SubscriptionSnapshot snapshot, CancellationToken cancellationToken)
    {
        var valid = snapshot.Validate();
        if (valid.IsFailure)
        {
            return Step.Failed(e, valid.Error);
        }

        var subscription = await store.FindSubscriptionAsync(provider, snapshot.ProviderSubscriptionId, cancellationToken);
        var resolved = subscription is not null
            ? await ResolveAsync(provider, subscription.BillingAccountId, null, [], cancellationToken)
            : await ResolveAsync(provider, metadataAccountId, customerId, [PendingKeys.Subscription(provider, snapshot.ProviderSubscriptionId)], cancellationToken);
        if (resolved.Account is not { } account)
        {
            return resolved.ToStep(e);
        }

        // A trial shown by any snapshot (even a stale one) marks the account: the flag only ever turns on.
        var trialMarked = snapshot.ShowsTrial && !account.HasUsedTrial && account.MarkTrialUsed(e.OccurredAt).IsSuccess;

        if (subscription is null)
        {
            var isAddOn = catalog?.FindPlan(snapshot.PlanId) is { IsSuccess: true } plan && plan.Value.IsAddOn;
            var others = await store.ListLiveSubscriptionsAsync(account.Id, cancellationToken);
            var started = Subscription.Start(Guid.NewGuid(), account.Id, provider, snapshot, isAddOn, others);
            if (started.IsFailure)
            {
                return Step.Failed(e, started.Error);
            }

            store.AddSubscription(started.Value);
            var detail = started.Value.DuplicateOf is { } kept
                ? $"Subscription started as {started.Value.Status}, recorded as a duplicate of {kept} (the account's live base-plan subscription)."
                : $"Subscription started as {started.Value.Status}.";
            return Step.Applied(e, detail, [PendingKeys.Subscription(provider, snapshot.ProviderSubscriptionId)]);
        }

        var applied = subscription.ApplySnapshot(snapshot);
        if (applied.IsFailure)
        {
            return Step.Failed(e, applied.Error);
        }

        return applied.Value == SnapshotApplication.Applied || trialMarked
            ? Step.Applied(e, $"Subscription is {subscription.Status}.", [])
            : Step.Ignored(e, "Snapshot is not newer than the one applied.");
    }

    private async Task<Step> ApplyInvoiceAsync(
        ProviderEvent e, string provider, string? customerId, Guid? metadataAccountId, InvoiceDetails details, long? amountPaidMinor,
        CancellationToken cancellationToken)
    {
        var released = new List<string>();
        var invoice = await store.FindInvoiceAsync(provider, details.ProviderInvoiceId, cancellationToken);
        var changed = false;
        if (invoice is null)
        {
            var subscription = string.IsNullOrWhiteSpace(details.ProviderSubscriptionId)
                ? null
                : await store.FindSubscriptionAsync(provider, details.ProviderSubscriptionId, cancellationToken);
            string[] alsoWaitFor = string.IsNullOrWhiteSpace(details.ProviderSubscriptionId)
                ? []
                : [PendingKeys.Subscription(provider, details.ProviderSubscriptionId)];
            var resolved = await ResolveAsync(provider, subscription?.BillingAccountId ?? metadataAccountId, customerId, alsoWaitFor, cancellationToken);
            if (resolved.Account is not { } account)
            {
                return resolved.ToStep(e);
            }

            var due = Money.Create(details.AmountDueMinor, details.Currency);
            if (due.IsFailure)
            {
                return Step.Failed(e, due.Error);
            }

            var opened = Invoice.Open(
                Guid.NewGuid(), account.Id, provider, details.ProviderInvoiceId, details.ProviderSubscriptionId, due.Value,
                details.PeriodStart, details.PeriodEnd, details.HostedUrl, details.PdfUrl, e.OccurredAt);
            if (opened.IsFailure)
            {
                return Step.Failed(e, opened.Error);
            }

            invoice = opened.Value;
            store.AddInvoice(invoice);
            released.Add(PendingKeys.Invoice(provider, invoice.ProviderInvoiceId));
            changed = true;
        }

        if (amountPaidMinor is not { } paidMinor)
        {
            changed |= invoice.RecordFailedAttempt(details.AttemptCount, e.OccurredAt);
            return changed
                ? Step.Applied(e, $"Invoice payment attempt {invoice.AttemptCount} failed.", released)
                : Step.Ignored(e, "Invoice attempt already recorded.");
        }

        changed |= invoice.ObserveAttemptCount(details.AttemptCount);
        if (invoice.CanTransitionTo(InvoiceStatus.Paid))
        {
            var paid = Money.Create(paidMinor, details.Currency);
            var marked = paid.IsSuccess ? invoice.MarkPaid(paid.Value, e.OccurredAt) : paid;
            if (marked.IsFailure)
            {
                return Step.Failed(e, marked.Error);
            }

            changed = true;
        }

        return changed ? Step.Applied(e, "Invoice paid.", released) : Step.Ignored(e, $"Invoice is already {invoice.Status}.");
    }

    private async Task<Step> ApplyPaymentAsync(
        ProviderEvent e, string provider, string? customerId, Guid? metadataAccountId, PaymentDetails details, CancellationToken cancellationToken)
    {
        var released = new List<string>();
        var payment = await store.FindPaymentAsync(provider, details.ProviderPaymentId, cancellationToken);
        if (payment is null)
        {
            var invoice = string.IsNullOrWhiteSpace(details.ProviderInvoiceId)
                ? null
                : await store.FindInvoiceAsync(provider, details.ProviderInvoiceId, cancellationToken);
            string[] alsoWaitFor = string.IsNullOrWhiteSpace(details.ProviderInvoiceId)
                ? []
                : [PendingKeys.Invoice(provider, details.ProviderInvoiceId)];
            var resolved = await ResolveAsync(provider, invoice?.BillingAccountId ?? metadataAccountId, customerId, alsoWaitFor, cancellationToken);
            if (resolved.Account is not { } account)
            {
                return resolved.ToStep(e);
            }

            var amount = Money.Create(details.AmountMinor, details.Currency);
            if (amount.IsFailure)
            {
                return Step.Failed(e, amount.Error);
            }

            var initiated = Payment.Initiate(
                Guid.NewGuid(), account.Id, provider, details.ProviderPaymentId, details.Kind, amount.Value, details.ProviderInvoiceId, e.OccurredAt);
            if (initiated.IsFailure)
            {
                return Step.Failed(e, initiated.Error);
            }

            payment = initiated.Value;
            store.AddPayment(payment);
            released.Add(PendingKeys.Payment(provider, payment.ProviderPaymentId));
        }

        return e switch
        {
            PaymentSucceeded succeeded => Succeed(succeeded, payment, released),
            PaymentFailed failed => Fail(failed, payment, released),
            _ => Step.Ignored(e, "Not a payment outcome."),
        };
    }

    private static Step Succeed(PaymentSucceeded e, Payment payment, List<string> released)
    {
        if (!payment.CanTransitionTo(PaymentStatus.Succeeded))
        {
            return released.Count > 0
                ? Step.Applied(e, "Payment recorded.", released)
                : Step.Ignored(e, $"Payment is already {payment.Status}.");
        }

        var captured = Money.Create(e.CapturedMinor, e.Payment.Currency);
        var marked = captured.IsSuccess ? payment.MarkSucceeded(e.ProviderChargeId, captured.Value, e.OccurredAt) : captured;
        if (marked.IsFailure)
        {
            return Step.Failed(e, marked.Error);
        }

        var key = PendingKeys.Payment(payment.Provider, payment.ProviderPaymentId);
        return Step.Applied(e, "Payment succeeded.", released.Contains(key) ? released : [.. released, key]);
    }

    private static Step Fail(PaymentFailed e, Payment payment, List<string> released)
    {
        if (!payment.CanTransitionTo(PaymentStatus.Failed) || !payment.IsNewerFailure(e.OccurredAt, e.FailureCode))
        {
            return released.Count > 0
                ? Step.Applied(e, "Payment recorded.", released)
                : Step.Ignored(e, $"Payment is {payment.Status}; the failure is superseded.");
        }

        var marked = payment.MarkFailed(e.FailureCode, e.OccurredAt);
        return marked.IsFailure ? Step.Failed(e, marked.Error) : Step.Applied(e, "Payment failed.", released);
    }

    private async Task<Step> ApplyAsync(RefundRecorded e, string provider, CancellationToken cancellationToken)
    {
        var payment = await store.FindPaymentAsync(provider, e.ProviderPaymentId, cancellationToken);
        if (payment is null || payment.Status != PaymentStatus.Succeeded)
        {
            return Step.Parked(e, "The refunded payment has not been captured yet.", [PendingKeys.Payment(provider, e.ProviderPaymentId)]);
        }

        var amount = Money.Create(e.AmountMinor, e.Currency);
        var recorded = amount.IsSuccess ? payment.RecordRefund(e.ProviderRefundId, amount.Value, e.Reason, e.RefundedAt) : amount.Error;
        if (recorded.IsFailure)
        {
            return Step.Failed(e, recorded.Error);
        }

        return recorded.Value == RefundRecording.Recorded
            ? Step.Applied(e, "Refund recorded.", [])
            : Step.Ignored(e, "Refund already recorded.");
    }

    /// <summary>
    /// The customer's email at the provider becomes the account's billing email, unless a newer change (in the app or
    /// reported by a later event) is already held. A customer not linked to an account yet waits for the link.
    /// </summary>
    private async Task<Step> ApplyAsync(CustomerUpdated e, string provider, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(provider, e.MetadataAccountId, e.CustomerId, [], cancellationToken);
        if (resolved.Account is not { } account)
        {
            return resolved.ToStep(e);
        }

        var recorded = account.RecordProviderEmail(provider, e.Email, e.OccurredAt);
        if (recorded.IsFailure)
        {
            return Step.Failed(e, recorded.Error);
        }

        return recorded.Value
            ? Step.Applied(e, "Billing email updated from the provider's customer.", [])
            : Step.Ignored(e, "The billing email is already this one, or a newer change is held.");
    }

    /// <summary>
    /// Finds the billing account an event belongs to: the account the event (or the object it refers to) names
    /// explicitly, else the account linked to the provider customer. Unknown yet → park; contradictory → fail.
    /// </summary>
    private async Task<Resolution> ResolveAsync(
        string provider, Guid? accountId, string? customerId, IReadOnlyList<string> alsoWaitFor, CancellationToken cancellationToken)
    {
        var customer = string.IsNullOrWhiteSpace(customerId) ? null : customerId.Trim();
        var byCustomer = customer is null ? null : await store.FindAccountByCustomerAsync(provider, customer, cancellationToken);
        if (accountId is { } id)
        {
            if (byCustomer is not null && byCustomer.Id != id)
            {
                return Resolution.Fail(BillingAccountErrors.CustomerLinkedElsewhere);
            }

            var account = byCustomer ?? await store.FindAccountAsync(id, cancellationToken);
            return account is not null
                ? Resolution.Found(account)
                : Resolution.Park("The billing account is not known yet.", [PendingKeys.Account(id), .. alsoWaitFor]);
        }

        if (byCustomer is not null)
        {
            return Resolution.Found(byCustomer);
        }

        return customer is null && alsoWaitFor.Count == 0
            ? Resolution.Fail(Unattributable)
            : Resolution.Park(
                "No billing account is linked to the customer yet.",
                customer is null ? alsoWaitFor : [PendingKeys.Customer(provider, customer), .. alsoWaitFor]);
    }

    private static SubscriptionSnapshot Final(SubscriptionSnapshot snapshot) =>
        snapshot.IsTerminal ? snapshot : snapshot with { Status = SubscriptionStatus.Canceled };

    private sealed record Resolution(BillingAccount? Account, Error? Error, string Reason, IReadOnlyList<string> WaitingFor)
    {
        public static Resolution Found(BillingAccount account) => new(account, null, string.Empty, []);

        public static Resolution Fail(Error error) => new(null, error, error.Message, []);

        public static Resolution Park(string reason, IReadOnlyList<string> waitingFor) => new(null, null, reason, waitingFor);

        public Step ToStep(ProviderEvent e) => Error is not null ? Step.Failed(e, Error) : Step.Parked(e, Reason, WaitingFor);
    }

    private sealed record Step(ProviderEventOutcome Outcome, IReadOnlyList<string> Released, IReadOnlyList<string> WaitingFor)
    {
        public static Step Applied(ProviderEvent e, string detail, IReadOnlyList<string> released) =>
            new(Make(e, ProviderEventDisposition.Applied, detail, null), released, []);

        public static Step Ignored(ProviderEvent e, string detail) =>
            new(Make(e, ProviderEventDisposition.Ignored, detail, null), [], []);

        public static Step Parked(ProviderEvent e, string detail, IReadOnlyList<string> waitingFor) =>
            new(Make(e, ProviderEventDisposition.Parked, detail, null), [], waitingFor);

        public static Step Failed(ProviderEvent e, Error error) =>
            new(Make(e, ProviderEventDisposition.Failed, error.Message, error), [], []);

        private static ProviderEventOutcome Make(ProviderEvent e, ProviderEventDisposition disposition, string detail, Error? error) =>
            new(e.Provider, e.ProviderEventId, disposition, detail, error);
    }
}
