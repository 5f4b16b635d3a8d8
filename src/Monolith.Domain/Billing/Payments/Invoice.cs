using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Payments;

public enum InvoiceStatus
{
    Open,
    Paid,
    Uncollectible,
    Void,
}

/// <summary>The one transition table of <see cref="Invoice"/>: paid and void are terminal.</summary>
public static class InvoiceTransitions
{
    private static readonly FrozenDictionary<InvoiceStatus, FrozenSet<InvoiceStatus>> Allowed =
        new Dictionary<InvoiceStatus, FrozenSet<InvoiceStatus>>
        {
            [InvoiceStatus.Open] = FrozenSet.ToFrozenSet([InvoiceStatus.Paid, InvoiceStatus.Uncollectible, InvoiceStatus.Void]),
            [InvoiceStatus.Uncollectible] = FrozenSet.ToFrozenSet([InvoiceStatus.Paid, InvoiceStatus.Void]),
            [InvoiceStatus.Paid] = FrozenSet<InvoiceStatus>.Empty,
            [InvoiceStatus.Void] = FrozenSet<InvoiceStatus>.Empty,
        }.ToFrozenDictionary();

    public static bool IsAllowed(InvoiceStatus from, InvoiceStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}

/// <summary>A provider invoice (usually a subscription's renewal) mirrored locally.</summary>
public sealed class Invoice : AggregateRoot<Guid>
{
    private Invoice()
    {
        Provider = string.Empty;
        ProviderInvoiceId = string.Empty;
    }

    public Guid BillingAccountId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderInvoiceId { get; private set; }
    public string? ProviderSubscriptionId { get; private set; }
    public InvoiceStatus Status { get; private set; }
    public Money AmountDue { get; private set; }
    public Money AmountPaid { get; private set; }
    public DateTimeOffset PeriodStart { get; private set; }
    public DateTimeOffset PeriodEnd { get; private set; }
    public Uri? HostedUrl { get; private set; }
    public Uri? PdfUrl { get; private set; }

    /// <summary>The highest payment attempt count the provider reported; it only grows.</summary>
    public int AttemptCount { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    public static Result<Invoice> Open(
        Guid id,
        Guid billingAccountId,
        string provider,
        string providerInvoiceId,
        string? providerSubscriptionId,
        Money amountDue,
        DateTimeOffset periodStart,
        DateTimeOffset periodEnd,
        Uri? hostedUrl,
        Uri? pdfUrl,
        DateTimeOffset at)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var validId = BillingIds.Require(providerInvoiceId, InvoiceErrors.ProviderInvoiceIdRequired);
        if (validId.IsFailure)
        {
            return validId.Error;
        }

        if (amountDue.IsNegative)
        {
            return InvoiceErrors.AmountInvalid;
        }

        if (periodEnd < periodStart)
        {
            return InvoiceErrors.PeriodInvalid;
        }

        var invoice = new Invoice
        {
            Id = id,
            BillingAccountId = billingAccountId,
            Provider = validProvider.Value,
            ProviderInvoiceId = validId.Value,
            ProviderSubscriptionId = string.IsNullOrWhiteSpace(providerSubscriptionId) ? null : providerSubscriptionId.Trim(),
            Status = InvoiceStatus.Open,
            AmountDue = amountDue,
            AmountPaid = Money.Zero(amountDue.Currency),
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            HostedUrl = hostedUrl,
            PdfUrl = pdfUrl,
        };
        invoice.Raise(new InvoiceOpened(id, billingAccountId, invoice.ProviderInvoiceId, amountDue, at));
        return invoice;
    }

    public bool CanTransitionTo(InvoiceStatus target) => InvoiceTransitions.IsAllowed(Status, target);

    public Result MarkPaid(Money amountPaid, DateTimeOffset at)
    {
        if (!string.Equals(amountPaid.Currency, AmountDue.Currency, StringComparison.Ordinal))
        {
            return InvoiceErrors.CurrencyMismatch;
        }

        if (amountPaid.IsNegative)
        {
            return InvoiceErrors.AmountInvalid;
        }

        if (!CanTransitionTo(InvoiceStatus.Paid))
        {
            return InvoiceErrors.TransitionNotAllowed(Status, InvoiceStatus.Paid);
        }

        AmountPaid = amountPaid;
        PaidAt = at;
        return TransitionTo(InvoiceStatus.Paid, new InvoiceMarkedPaid(Id, BillingAccountId, ProviderInvoiceId, amountPaid, at));
    }

    public Result MarkUncollectible(DateTimeOffset at) =>
        TransitionTo(InvoiceStatus.Uncollectible, new InvoiceMarkedUncollectible(Id, BillingAccountId, ProviderInvoiceId, at));

    public Result Void(DateTimeOffset at)
    {
        if (!CanTransitionTo(InvoiceStatus.Void))
        {
            return InvoiceErrors.TransitionNotAllowed(Status, InvoiceStatus.Void);
        }

        ClosedAt = at;
        return TransitionTo(InvoiceStatus.Void, new InvoiceVoided(Id, BillingAccountId, ProviderInvoiceId, at));
    }

    /// <summary>
    /// Records the provider's attempt count for a failed collection. Attempts are facts independent of the status:
    /// the count only grows, so a late report never lowers it. Returns whether it grew.
    /// </summary>
    public bool RecordFailedAttempt(int attemptCount, DateTimeOffset at)
    {
        if (attemptCount <= AttemptCount)
        {
            return false;
        }

        AttemptCount = attemptCount;
        Raise(new InvoicePaymentAttemptFailed(Id, BillingAccountId, ProviderInvoiceId, attemptCount, at));
        return true;
    }

    /// <summary>Keeps the highest attempt count reported (paid invoices report theirs too). Returns whether it grew.</summary>
    public bool ObserveAttemptCount(int attemptCount)
    {
        if (attemptCount <= AttemptCount)
        {
            return false;
        }

        AttemptCount = attemptCount;
        return true;
    }

    private Result TransitionTo(InvoiceStatus target, IDomainEvent transitioned)
    {
        if (!CanTransitionTo(target))
        {
            return InvoiceErrors.TransitionNotAllowed(Status, target);
        }

        Status = target;
        Raise(transitioned);
        return Result.Success();
    }
}

public sealed record InvoiceOpened(Guid InvoiceId, Guid BillingAccountId, string ProviderInvoiceId, Money AmountDue, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record InvoiceMarkedPaid(Guid InvoiceId, Guid BillingAccountId, string ProviderInvoiceId, Money AmountPaid, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record InvoiceMarkedUncollectible(Guid InvoiceId, Guid BillingAccountId, string ProviderInvoiceId, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record InvoiceVoided(Guid InvoiceId, Guid BillingAccountId, string ProviderInvoiceId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record InvoicePaymentAttemptFailed(
    Guid InvoiceId, Guid BillingAccountId, string ProviderInvoiceId, int AttemptCount, DateTimeOffset OccurredAt) : IDomainEvent;

public static class InvoiceErrors
{
    public static readonly Error ProviderInvoiceIdRequired =
        Error.Validation("billing.invoice.provider_invoice_id_required", "An invoice needs the provider's invoice id.");

    public static readonly Error AmountInvalid =
        Error.Validation("billing.invoice.amount_invalid", "Invoice amounts cannot be negative.");

    public static readonly Error PeriodInvalid =
        Error.Validation("billing.invoice.period_invalid", "An invoice period cannot end before it starts.");

    public static readonly Error CurrencyMismatch =
        Error.Rule("billing.invoice.currency_mismatch", "An invoice is paid in its own currency.");

    public static Error TransitionNotAllowed(InvoiceStatus from, InvoiceStatus to) =>
        Error.Rule("billing.invoice.transition_not_allowed", $"An invoice cannot go from {from} to {to}.");
}
