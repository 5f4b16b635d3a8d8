namespace Monolith.Infrastructure.Billing;

/// <summary>
/// One row per (parked provider event, key it waits for), so parked events are found by an indexed equality on
/// <see cref="WaitKey"/>. The event itself is kept as JSON of its concrete type.
/// </summary>
internal sealed class PendingProviderEventRecord
{
    public const int WaitKeyMaxLength = 600;
    public const int EventTypeMaxLength = 100;
    public const int ReasonMaxLength = 2000;

    public PendingProviderEventRecord(
        Guid id, string provider, string providerEventId, string waitKey, string eventType, string payload, string reason,
        DateTimeOffset parkedAt)
    {
        Id = id;
        Provider = provider;
        ProviderEventId = providerEventId;
        WaitKey = waitKey;
        EventType = eventType;
        Payload = payload;
        Reason = reason;
        ParkedAt = parkedAt;
    }

    public Guid Id { get; private set; }
    public string Provider { get; private set; }
    public string ProviderEventId { get; private set; }
    public string WaitKey { get; private set; }
    public string EventType { get; private set; }
    public string Payload { get; private set; }
    public string Reason { get; private set; }
    public DateTimeOffset ParkedAt { get; private set; }
}
