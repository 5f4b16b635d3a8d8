using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>What a test card does when charged. Only the last four digits and the brand are kept, never the number.</summary>
public enum CardOutcome
{
    Succeeds,
    Declined,
    InsufficientFunds,
    RequiresAuthentication,
}

public sealed record SimulatorCard(string Brand, string Last4, CardOutcome Outcome)
{
    public static SimulatorCard? FromNumber(string? number)
    {
        var digits = new string((number ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        var outcome = digits switch
        {
            "4242424242424242" => CardOutcome.Succeeds,
            "4000000000000002" => CardOutcome.Declined,
            "4000000000009995" => CardOutcome.InsufficientFunds,
            "4000002500003155" => CardOutcome.RequiresAuthentication,
            _ => (CardOutcome?)null,
        };
        return outcome is { } o ? new SimulatorCard("visa", digits[^4..], o) : null;
    }

    /// <summary>A card used off-session (renewals): an authenticated 3-D Secure card then charges normally.</summary>
    public bool ChargesOffSession => Outcome is CardOutcome.Succeeds or CardOutcome.RequiresAuthentication;

    public string FailureCode => Outcome == CardOutcome.InsufficientFunds ? "insufficient_funds" : "card_declined";

    public string FailureMessage => Outcome == CardOutcome.InsufficientFunds
        ? "Your card has insufficient funds."
        : "Your card was declined.";
}

internal sealed class SimCustomer(string id, Guid accountId, string? email, string? name)
{
    public string Id { get; } = id;
    public Guid AccountId { get; } = accountId;
    public string? Email { get; set; } = email;
    public string? Name { get; set; } = name;
    public SimulatorCard? DefaultCard { get; set; }
}

internal sealed class SimCheckoutSession
{
    public required string Id { get; init; }
    public required SimCustomer Customer { get; init; }
    public required Guid AccountId { get; init; }
    public required CheckoutMode Mode { get; init; }
    public required string ProviderPriceId { get; init; }
    public required Price Price { get; init; }
    public required int Quantity { get; init; }
    public required int? TrialDays { get; init; }
    public required Uri SuccessUrl { get; init; }
    public required Uri CancelUrl { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public CheckoutStatus Status { get; set; } = CheckoutStatus.Open;
    public string? PaymentId { get; set; }
    public string? ResultId { get; set; }
    public SimulatorCard? AwaitingAuthentication { get; set; }
    public long AmountMinor => Price.Amount.AmountMinor * Quantity;
}

internal sealed class SimSubscription
{
    public required string Id { get; init; }
    public required SimCustomer Customer { get; init; }
    public required Guid AccountId { get; init; }
    public required string ProviderPriceId { get; set; }
    public required Price Price { get; set; }
    public required int Quantity { get; set; }
    public SubscriptionStatus Status { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }
    public DateTimeOffset? TrialEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? OpenInvoiceId { get; set; }
    public DateTimeOffset? NextRetryAt { get; set; }
    public long AmountMinor => Price.Amount.AmountMinor * Quantity;
    public bool IsEnded => Status is SubscriptionStatus.Canceled or SubscriptionStatus.IncompleteExpired;
}

internal sealed class SimInvoice
{
    public required string Id { get; init; }
    public required SimCustomer Customer { get; init; }
    public required Guid AccountId { get; init; }
    public string? SubscriptionId { get; init; }
    public required long AmountDue { get; init; }
    public long AmountPaid { get; set; }
    public required string Currency { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }
    public int AttemptCount { get; set; }
    public string Status { get; set; } = "open";
    public string? PaymentId { get; set; }
}

internal sealed class SimPayment
{
    public required string Id { get; init; }
    public required SimCustomer Customer { get; init; }
    public required Guid AccountId { get; init; }
    public required PaymentKind Kind { get; init; }
    public string? InvoiceId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string Status { get; set; } = "requires_payment_method";
    public string? ChargeId { get; set; }
    public string? FailureCode { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<SimRefund> Refunds { get; } = [];
    public long Refunded => Refunds.Sum(r => r.Amount);
}

internal sealed record SimRefund(string Id, string PaymentId, long Amount, string Currency, string? Reason, DateTimeOffset CreatedAt);

internal sealed record SimUsage(string CustomerId, string FeatureId, long Quantity, DateTimeOffset At);

/// <summary>What the hosted checkout page shows.</summary>
public sealed record SimulatorCheckoutView(
    string SessionId,
    string PlanId,
    string PriceId,
    long AmountMinor,
    string Currency,
    string Interval,
    int Quantity,
    int? TrialDays,
    string Status,
    bool AwaitingAuthentication,
    Uri CancelUrl,
    string? Email);

/// <summary>The outcome of paying on the hosted checkout page.</summary>
public sealed record CheckoutAttempt(CheckoutAttemptOutcome Outcome, Uri? RedirectTo, string? Message)
{
    public static CheckoutAttempt Completed(Uri redirect) => new(CheckoutAttemptOutcome.Completed, redirect, null);
    public static CheckoutAttempt Authenticate() => new(CheckoutAttemptOutcome.RequiresAuthentication, null, null);
    public static CheckoutAttempt Failed(string message) => new(CheckoutAttemptOutcome.Failed, null, message);
}

public enum CheckoutAttemptOutcome
{
    Completed,
    RequiresAuthentication,
    Failed,
}

public sealed record SimulatorSubscriptionView(
    string Id,
    string CustomerId,
    string Status,
    string ProviderPriceId,
    int Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    bool CancelAtPeriodEnd);

public sealed record SimulatorCustomerView(
    string Id, string? Email, SimulatorCard? DefaultCard, IReadOnlyList<SimulatorSubscriptionView> Subscriptions, string? Name = null);
