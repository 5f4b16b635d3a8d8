namespace Monolith.Application.Common.Behaviours;

/// <summary>
/// Per-request hooks that must run inside the transaction, after the handler succeeded and before SaveChanges —
/// e.g. the idempotency behaviour storing the response next to the change it describes.
/// </summary>
internal sealed class CommitContext
{
    private readonly List<Action<object?>> _beforeCommit = [];

    public void BeforeCommit(Action<object?> action) => _beforeCommit.Add(action);

    public void RunBeforeCommit(object? response)
    {
        foreach (var action in _beforeCommit)
        {
            action(response);
        }

        _beforeCommit.Clear();
    }
}
