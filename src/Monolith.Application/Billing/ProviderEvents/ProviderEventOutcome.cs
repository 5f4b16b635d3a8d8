using Monolith.Domain.Common;

namespace Monolith.Application.Billing.ProviderEvents;

public enum ProviderEventDisposition
{
    /// <summary>The event changed at least one aggregate.</summary>
    Applied,

    /// <summary>The event was already reflected (duplicate, stale snapshot, superseded by a terminal state).</summary>
    Ignored,

    /// <summary>The event waits for its billing account to become known; it is kept, not dropped.</summary>
    Parked,

    /// <summary>The event contradicts what we hold (e.g. a customer of another account); nothing was changed.</summary>
    Failed,
}

public sealed record ProviderEventOutcome(
    string Provider,
    string ProviderEventId,
    ProviderEventDisposition Disposition,
    string Detail,
    Error? Error = null);

/// <summary>What applying one event did, plus what happened to parked events it released.</summary>
public sealed record ProviderEventApplication(ProviderEventOutcome Outcome, IReadOnlyList<ProviderEventOutcome> Replayed);
