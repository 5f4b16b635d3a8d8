using System.Text.Json;
using System.Text.Json.Serialization;
using Monolith.Domain.Billing.Subscriptions;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>The event types the simulator sends (Stripe's names).</summary>
public static class SimulatorEventTypes
{
    public const string CheckoutCompleted = "checkout.session.completed";
    public const string CheckoutExpired = "checkout.session.expired";
    public const string SubscriptionCreated = "customer.subscription.created";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string PaymentSucceeded = "payment_intent.succeeded";
    public const string PaymentFailed = "payment_intent.payment_failed";
    public const string ChargeRefunded = "charge.refunded";
    public const string CustomerUpdated = "customer.updated";
}

/// <summary>One signed event as delivered: the raw body is fixed at creation, so the id and bytes are stable across retries.</summary>
public sealed record SimulatorEvent(string Id, string Type, DateTimeOffset OccurredAt, byte[] Body);

internal sealed record SimulatorEnvelope(string Id, string Type, long Created, SimulatorEventData Data);

internal sealed record SimulatorEventData(DateTimeOffset OccurredAt, JsonElement Object);

internal sealed record CheckoutData(string Id, string? Customer, Guid? ClientReferenceId, string Mode, string Price, string? Subscription, string? PaymentIntent, string Status);

internal sealed record SubscriptionData(
    string Id,
    string Customer,
    Guid? AccountId,
    string Status,
    string Price,
    int Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset? TrialEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CanceledAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset UpdatedAt);

internal sealed record InvoiceData(
    string Id,
    string? Customer,
    Guid? AccountId,
    string? Subscription,
    long AmountDue,
    long AmountPaid,
    string Currency,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    int AttemptCount,
    string Status);

internal sealed record PaymentData(
    string Id,
    string? Customer,
    Guid? AccountId,
    string Kind,
    string? Invoice,
    long Amount,
    string Currency,
    string Status,
    string? Charge,
    long Captured,
    string? FailureCode);

internal sealed record CustomerData(string Id, Guid AccountId, string? Email, string? Name);

internal sealed record RefundData(string Id, string PaymentIntent, long Amount, string Currency, string? Reason, DateTimeOffset Created);

internal static class SimulatorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static byte[] Envelope(string id, string type, DateTimeOffset occurredAt, object data) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new SimulatorEnvelope(id, type, occurredAt.ToUnixTimeSeconds(),
                new SimulatorEventData(occurredAt, JsonSerializer.SerializeToElement(data, data.GetType(), Options))),
            Options);

    public static string StatusName(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Incomplete => "incomplete",
        SubscriptionStatus.IncompleteExpired => "incomplete_expired",
        SubscriptionStatus.Trialing => "trialing",
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.PastDue => "past_due",
        SubscriptionStatus.Unpaid => "unpaid",
        SubscriptionStatus.Paused => "paused",
        _ => "canceled",
    };

    public static SubscriptionStatus? ParseStatus(string? status) => status switch
    {
        "incomplete" => SubscriptionStatus.Incomplete,
        "incomplete_expired" => SubscriptionStatus.IncompleteExpired,
        "trialing" => SubscriptionStatus.Trialing,
        "active" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "unpaid" => SubscriptionStatus.Unpaid,
        "paused" => SubscriptionStatus.Paused,
        "canceled" => SubscriptionStatus.Canceled,
        _ => null,
    };
}
