using System.Collections.Frozen;

namespace Monolith.Domain.Billing.Payments;

public enum PaymentStatus
{
    Pending,
    RequiresAction,
    Succeeded,
    Failed,
    Canceled,
}

public enum PaymentKind
{
    OneTime,
    Invoice,
}

/// <summary>
/// The one transition table of <see cref="Payment"/>. A failed attempt may be followed by another failed attempt,
/// a successful retry or a cancellation; succeeded and canceled are terminal.
/// </summary>
public static class PaymentTransitions
{
    private static readonly FrozenDictionary<PaymentStatus, FrozenSet<PaymentStatus>> Allowed =
        new Dictionary<PaymentStatus, FrozenSet<PaymentStatus>>
        {
            [PaymentStatus.Pending] = FrozenSet.ToFrozenSet(
                [PaymentStatus.RequiresAction, PaymentStatus.Succeeded, PaymentStatus.Failed, PaymentStatus.Canceled]),
            [PaymentStatus.RequiresAction] = FrozenSet.ToFrozenSet([PaymentStatus.Succeeded, PaymentStatus.Failed, PaymentStatus.Canceled]),
            [PaymentStatus.Failed] = FrozenSet.ToFrozenSet([PaymentStatus.Failed, PaymentStatus.Succeeded, PaymentStatus.Canceled]),
            [PaymentStatus.Succeeded] = FrozenSet<PaymentStatus>.Empty,
            [PaymentStatus.Canceled] = FrozenSet<PaymentStatus>.Empty,
        }.ToFrozenDictionary();

    public static bool IsAllowed(PaymentStatus from, PaymentStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    public static bool IsTerminal(PaymentStatus status) => status is PaymentStatus.Succeeded or PaymentStatus.Canceled;
}
