using System.Collections.Frozen;
using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Webhooks;

public enum WebhookEventStatus
{
    Received,
    Applied,
    Ignored,
    Parked,
    Failed,
}

/// <summary>
/// The one transition table of <see cref="WebhookEvent"/>. Applied and ignored are final; a parked event (its
/// account is not known yet) and a failed one can be processed again.
/// </summary>
public static class WebhookEventTransitions
{
    private static readonly FrozenSet<WebhookEventStatus> Outcomes = FrozenSet.ToFrozenSet(
        [WebhookEventStatus.Applied, WebhookEventStatus.Ignored, WebhookEventStatus.Parked, WebhookEventStatus.Failed]);

    private static readonly FrozenDictionary<WebhookEventStatus, FrozenSet<WebhookEventStatus>> Allowed =
        new Dictionary<WebhookEventStatus, FrozenSet<WebhookEventStatus>>
        {
            [WebhookEventStatus.Received] = Outcomes,
            [WebhookEventStatus.Parked] = FrozenSet.ToFrozenSet([WebhookEventStatus.Applied, WebhookEventStatus.Ignored, WebhookEventStatus.Failed]),
            [WebhookEventStatus.Failed] = Outcomes,
            [WebhookEventStatus.Applied] = FrozenSet<WebhookEventStatus>.Empty,
            [WebhookEventStatus.Ignored] = FrozenSet<WebhookEventStatus>.Empty,
        }.ToFrozenDictionary();

    public static bool IsAllowed(WebhookEventStatus from, WebhookEventStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}

/// <summary>
/// The inbox record of one provider webhook delivery, unique per (provider, provider event id). The payload is
/// kept verbatim; only the processing status moves.
/// </summary>
public sealed class WebhookEvent : AggregateRoot<Guid>
{
    public const int MaxErrorLength = 2000;

    private WebhookEvent()
    {
        Provider = string.Empty;
        ProviderEventId = string.Empty;
        Type = string.Empty;
        Payload = string.Empty;
    }

    public string Provider { get; private set; }
    public string ProviderEventId { get; private set; }
    public string Type { get; private set; }
    public string Payload { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public WebhookEventStatus Status { get; private set; }
    public string? Error { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }

    public static Result<WebhookEvent> Receive(
        Guid id, string provider, string providerEventId, string type, string payload, DateTimeOffset receivedAt)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var eventId = BillingIds.Require(providerEventId, WebhookErrors.EventIdRequired);
        if (eventId.IsFailure)
        {
            return eventId.Error;
        }

        var validType = BillingIds.Require(type, WebhookErrors.TypeRequired);
        if (validType.IsFailure)
        {
            return validType.Error;
        }

        if (string.IsNullOrEmpty(payload))
        {
            return WebhookErrors.PayloadRequired;
        }

        var webhookEvent = new WebhookEvent
        {
            Id = id,
            Provider = validProvider.Value,
            ProviderEventId = eventId.Value,
            Type = validType.Value,
            Payload = payload,
            ReceivedAt = receivedAt,
            Status = WebhookEventStatus.Received,
        };
        webhookEvent.Raise(new WebhookEventReceived(id, webhookEvent.Provider, webhookEvent.ProviderEventId, webhookEvent.Type, receivedAt));
        return webhookEvent;
    }

    public Result MarkApplied(DateTimeOffset now) =>
        TransitionTo(WebhookEventStatus.Applied, null, new WebhookEventApplied(Id, Provider, ProviderEventId, now), now);

    public Result MarkIgnored(string reason, DateTimeOffset now) =>
        TransitionTo(WebhookEventStatus.Ignored, reason, new WebhookEventIgnored(Id, Provider, ProviderEventId, Truncate(reason), now), now);

    public Result MarkParked(string reason, DateTimeOffset now) =>
        TransitionTo(WebhookEventStatus.Parked, reason, new WebhookEventParked(Id, Provider, ProviderEventId, Truncate(reason), now), now);

    public Result MarkFailed(string error, DateTimeOffset now) =>
        TransitionTo(WebhookEventStatus.Failed, error, new WebhookEventFailed(Id, Provider, ProviderEventId, Truncate(error), Attempts + 1, now), now);

    private Result TransitionTo(WebhookEventStatus target, string? error, IDomainEvent transitioned, DateTimeOffset now)
    {
        if (!WebhookEventTransitions.IsAllowed(Status, target))
        {
            return WebhookErrors.TransitionNotAllowed(Status, target);
        }

        Status = target;
        Error = error is null ? null : Truncate(error);
        Attempts++;
        ProcessedAt = now;
        Raise(transitioned);
        return Result.Success();
    }

    private static string Truncate(string value) => value.Length <= MaxErrorLength ? value : value[..MaxErrorLength];
}

public sealed record WebhookEventReceived(Guid WebhookEventId, string Provider, string ProviderEventId, string Type, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record WebhookEventApplied(Guid WebhookEventId, string Provider, string ProviderEventId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record WebhookEventIgnored(Guid WebhookEventId, string Provider, string ProviderEventId, string Reason, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record WebhookEventParked(Guid WebhookEventId, string Provider, string ProviderEventId, string Reason, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record WebhookEventFailed(
    Guid WebhookEventId, string Provider, string ProviderEventId, string Error, int Attempts, DateTimeOffset OccurredAt) : IDomainEvent;

public static class WebhookErrors
{
    public static readonly Error EventIdRequired =
        Error.Validation("billing.webhook.event_id_required", "A webhook event needs the provider's event id.");

    public static readonly Error TypeRequired =
        Error.Validation("billing.webhook.type_required", "A webhook event needs a type.");

    public static readonly Error PayloadRequired =
        Error.Validation("billing.webhook.payload_required", "A webhook event keeps its payload.");

    public static Error TransitionNotAllowed(WebhookEventStatus from, WebhookEventStatus to) =>
        Error.Rule("billing.webhook.transition_not_allowed", $"A webhook event cannot go from {from} to {to}.");
}
