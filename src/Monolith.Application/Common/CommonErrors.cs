using Monolith.Domain.Common;

namespace Monolith.Application.Common;

public static class CommonErrors
{
    public static readonly Error ConcurrencyConflict = Error.Conflict(
        "concurrency.conflict", "Someone else changed this at the same time. Reload and try again.");

    /// <summary>A concurrent request wrote the same unique fact first (caught at commit; nothing of this request was saved).</summary>
    public static readonly Error DuplicateConflict = Error.Conflict(
        "concurrency.duplicate", "The same thing was just done by a concurrent request. Retry to see its result.");
}
