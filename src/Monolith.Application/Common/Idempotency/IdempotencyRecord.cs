namespace Monolith.Application.Common.Idempotency;

/// <summary>
/// One row per (scope, key), inserted in the same transaction as the command it guards.
/// The database's unique key — not a prior read — is what makes a retried command run once.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
        Scope = Key = RequestHash = ResponseJson = string.Empty;
    }

    public IdempotencyRecord(string scope, string key, string requestHash, DateTimeOffset createdAt)
    {
        Scope = scope;
        Key = key;
        RequestHash = requestHash;
        ResponseJson = string.Empty;
        CreatedAt = createdAt;
    }

    public const int KeyMaxLength = 200;
    public const int ScopeMaxLength = 300;

    public string Scope { get; private set; }
    public string Key { get; private set; }
    public string RequestHash { get; private set; }
    public string ResponseJson { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Complete(string responseJson) => ResponseJson = responseJson;
}
