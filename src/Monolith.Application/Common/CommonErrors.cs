using Monolith.Domain.Common;

namespace Monolith.Application.Common;

public static class CommonErrors
{
    public static readonly Error ConcurrencyConflict = Error.Conflict(
        "concurrency.conflict", "Someone else changed this at the same time. Reload and try again.");
}
