using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Monolith.Domain.Billing.Entitlements;

namespace Monolith.Application.Billing.Entitlements;

/// <summary>
/// Per-process cache of entitlement snapshots, one per billing account (a singleton). After a transaction that
/// changes an account's subscriptions commits, call <see cref="Set"/> with the fresh snapshot or <see cref="Invalidate"/>
/// so the next check reloads it.
/// </summary>
public sealed class EntitlementCache
{
    private readonly ConcurrentDictionary<Guid, EntitlementSnapshot> _snapshots = new();
    private long _version;

    /// <summary>Changes on every <see cref="Set"/> and <see cref="Invalidate"/>; a load that started before a change must not be cached.</summary>
    internal long Version => Interlocked.Read(ref _version);

    public int Count => _snapshots.Count;

    public bool TryGet(Guid billingAccountId, [MaybeNullWhen(false)] out EntitlementSnapshot snapshot) =>
        _snapshots.TryGetValue(billingAccountId, out snapshot);

    public void Set(Guid billingAccountId, EntitlementSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Interlocked.Increment(ref _version);
        _snapshots[billingAccountId] = snapshot;
    }

    public void Invalidate(Guid billingAccountId)
    {
        Interlocked.Increment(ref _version);
        _snapshots.TryRemove(billingAccountId, out _);
    }

    /// <summary>Drops every account (e.g. after missing other instances' change notices while disconnected).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _version);
        _snapshots.Clear();
    }

    /// <summary>
    /// Caches a snapshot loaded after a miss, unless the cache changed since the load started (an invalidation in
    /// between means the loaded facts may predate a commit) or a newer snapshot was set meanwhile.
    /// </summary>
    internal void AddLoaded(Guid billingAccountId, EntitlementSnapshot snapshot, long versionBeforeLoad, EntitlementSnapshot? replacing)
    {
        if (Version != versionBeforeLoad)
        {
            return;
        }

        if (replacing is null)
        {
            _snapshots.TryAdd(billingAccountId, snapshot);
        }
        else
        {
            _snapshots.TryUpdate(billingAccountId, snapshot, replacing);
        }
    }
}
