using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Payments;

public enum CheckoutStatus
{
    Open,
    Complete,
    Expired,
}

public enum CheckoutMode
{
    Subscription,
    Payment,
}

/// <summary>The one transition table of <see cref="CheckoutSession"/>: an open session completes or expires, once.</summary>
public static class CheckoutTransitions
{
    private static readonly FrozenDictionary<CheckoutStatus, FrozenSet<CheckoutStatus>> Allowed =
        new Dictionary<CheckoutStatus, FrozenSet<CheckoutStatus>>
        {
            [CheckoutStatus.Open] = FrozenSet.ToFrozenSet([CheckoutStatus.Complete, CheckoutStatus.Expired]),
            [CheckoutStatus.Complete] = FrozenSet<CheckoutStatus>.Empty,
            [CheckoutStatus.Expired] = FrozenSet<CheckoutStatus>.Empty,
        }.ToFrozenDictionary();

    public static bool IsAllowed(CheckoutStatus from, CheckoutStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}

/// <summary>A hosted checkout page opened at the provider for one account and one catalogue price.</summary>
public sealed class CheckoutSession : AggregateRoot<Guid>
{
    private CheckoutSession()
    {
        Provider = string.Empty;
        ProviderSessionId = string.Empty;
        PriceId = string.Empty;
    }

    public Guid BillingAccountId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderSessionId { get; private set; }
    public string PriceId { get; private set; }
    public CheckoutMode Mode { get; private set; }
    public CheckoutStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Where the customer completes the session (the provider's hosted page); reused while the session is open.</summary>
    public string? Url { get; private set; }

    /// <summary>The provider subscription (subscription mode) or payment (payment mode) the session produced.</summary>
    public string? ProviderResultId { get; private set; }

    public static Result<CheckoutSession> Open(
        Guid id,
        Guid billingAccountId,
        string provider,
        string providerSessionId,
        string priceId,
        CheckoutMode mode,
        DateTimeOffset expiresAt,
        DateTimeOffset now,
        Uri? url = null)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var sessionId = BillingIds.Require(providerSessionId, CheckoutErrors.ProviderSessionIdRequired);
        if (sessionId.IsFailure)
        {
            return sessionId.Error;
        }

        var price = BillingIds.Require(priceId, CheckoutErrors.PriceIdRequired);
        if (price.IsFailure)
        {
            return price.Error;
        }

        if (expiresAt <= now)
        {
            return CheckoutErrors.ExpiryInPast;
        }

        var session = new CheckoutSession
        {
            Id = id,
            BillingAccountId = billingAccountId,
            Provider = validProvider.Value,
            ProviderSessionId = sessionId.Value,
            PriceId = price.Value,
            Mode = mode,
            Status = CheckoutStatus.Open,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            Url = url?.ToString(),
        };
        session.Raise(new CheckoutSessionOpened(id, billingAccountId, session.PriceId, mode, expiresAt, now));
        return session;
    }

    public bool CanTransitionTo(CheckoutStatus target) => CheckoutTransitions.IsAllowed(Status, target);

    public Result Complete(string? providerResultId, DateTimeOffset at)
    {
        if (!CanTransitionTo(CheckoutStatus.Complete))
        {
            return CheckoutErrors.TransitionNotAllowed(Status, CheckoutStatus.Complete);
        }

        ProviderResultId = string.IsNullOrWhiteSpace(providerResultId) ? null : providerResultId.Trim();
        ClosedAt = at;
        Status = CheckoutStatus.Complete;
        Raise(new CheckoutSessionCompleted(Id, BillingAccountId, PriceId, Mode, ProviderResultId, at));
        return Result.Success();
    }

    public Result Expire(DateTimeOffset at)
    {
        if (!CanTransitionTo(CheckoutStatus.Expired))
        {
            return CheckoutErrors.TransitionNotAllowed(Status, CheckoutStatus.Expired);
        }

        ClosedAt = at;
        Status = CheckoutStatus.Expired;
        Raise(new CheckoutSessionExpired(Id, BillingAccountId, PriceId, at));
        return Result.Success();
    }
}

public sealed record CheckoutSessionOpened(
    Guid CheckoutSessionId, Guid BillingAccountId, string PriceId, CheckoutMode Mode, DateTimeOffset ExpiresAt, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record CheckoutSessionCompleted(
    Guid CheckoutSessionId, Guid BillingAccountId, string PriceId, CheckoutMode Mode, string? ProviderResultId, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record CheckoutSessionExpired(Guid CheckoutSessionId, Guid BillingAccountId, string PriceId, DateTimeOffset OccurredAt)
    : IDomainEvent;

public static class CheckoutErrors
{
    public static readonly Error ProviderSessionIdRequired =
        Error.Validation("billing.checkout.provider_session_id_required", "A checkout session needs the provider's session id.");

    public static readonly Error PriceIdRequired =
        Error.Validation("billing.checkout.price_id_required", "A checkout session is for one catalogue price.");

    public static readonly Error ExpiryInPast =
        Error.Validation("billing.checkout.expiry_in_past", "A checkout session must expire in the future.");

    public static Error TransitionNotAllowed(CheckoutStatus from, CheckoutStatus to) =>
        Error.Rule("billing.checkout.transition_not_allowed", $"A checkout session cannot go from {from} to {to}.");
}
