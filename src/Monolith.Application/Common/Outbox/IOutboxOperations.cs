using Monolith.Domain.Common;

namespace Monolith.Application.Common.Outbox;

/// <summary>What operators may do to deliveries (the ops dashboard uses it).</summary>
public interface IOutboxOperations
{
    /// <summary>A dead delivery goes back to pending with its attempts reset; it runs at the next claim.</summary>
    Task<Result> RequeueAsync(Guid deliveryId, CancellationToken ct = default);

    /// <summary>A pending or retrying delivery becomes due now instead of after its backoff.</summary>
    Task<Result> RetryNowAsync(Guid deliveryId, CancellationToken ct = default);
}

public static class OutboxErrors
{
    public static readonly Error DeliveryNotFound =
        Error.NotFound("outbox.delivery.not_found", "Outbox delivery not found.");

    public static Error DeliveryNotInState(string action, string state) =>
        Error.Conflict("outbox.delivery.state_invalid", $"A delivery in state {state} cannot be {action}.");
}
