namespace Monolith.Application.Ops.Common;

/// <summary>The few facts about user accounts the ops pages need (users live in the identity store, not in the Application's model).</summary>
public interface IOpsUsers
{
    /// <summary>The e-mail address of each known user among <paramref name="userIds"/>.</summary>
    Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct);

    /// <summary>Users whose e-mail contains <paramref name="term"/> (case-insensitive), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Guid>> FindByEmailAsync(string term, int limit, CancellationToken ct);
}
