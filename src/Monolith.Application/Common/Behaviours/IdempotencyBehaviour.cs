using System.Security.Cryptography;
using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Idempotency;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>
/// For commands that carry a client key: inserts a row unique on (scope, key) in the command's own transaction and
/// stores the result in it. A retry returns the stored result; the same key with a different payload is refused (422).
/// The unique key is the guard: a concurrent duplicate fails at commit and then reads the winner's result.
/// </summary>
internal sealed class IdempotencyBehaviour<TRequest, TResponse>(IAppDbContext db, ICurrentUser currentUser, TimeProvider clock, CommitContext commit)
    : IPipelineBehavior<TRequest, TResponse>
{
    public static readonly Error KeyReused = Error.Rule(
        "idempotency.key_reused", "This Idempotency-Key was already used with a different request.");

    public static readonly Error InProgress = Error.Conflict(
        "idempotency.in_progress", "A request with this Idempotency-Key is still being processed; retry shortly.");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IIdempotentCommand { IdempotencyKey: { Length: > 0 } key })
        {
            return await next();
        }

        var scope = Scope(request);
        var hash = Hash(request);

        // Fast path for a replay that has already committed; correctness does not depend on it.
        var stored = await FindAsync(scope, key, cancellationToken);
        if (stored is not null)
        {
            return Replay(stored, hash);
        }

        var record = new IdempotencyRecord(scope, key, hash, clock.GetUtcNow());
        db.IdempotencyRecords.Add(record);
        // The response is stored inside the command's transaction, just before it commits.
        commit.BeforeCommit(response => record.Complete(JsonSerializer.Serialize(ToStored((TResponse)response!), JsonOptions)));
        var response = await next();
        if (response is IResultBase { Error: { } error } && error == CommonErrors.DuplicateConflict)
        {
            // Lost a race at commit: if it was for this key, answer with the winner's stored result.
            db.DiscardChanges();
            var winner = await FindAsync(scope, key, cancellationToken);
            return winner is null ? response : Replay(winner, hash);
        }

        if (response is IResultBase { IsSuccess: false })
        {
            // Failures are not remembered: the client may fix the cause and retry with the same key.
            db.IdempotencyRecords.Entry(record).State = EntityState.Detached;
        }

        return response;
    }

    private Task<IdempotencyRecord?> FindAsync(string scope, string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, cancellationToken);

    private static TResponse Replay(IdempotencyRecord stored, string hash)
    {
        if (!string.Equals(stored.RequestHash, hash, StringComparison.Ordinal))
        {
            return ResultFactory.Failure<TResponse>(KeyReused);
        }

        if (stored.ResponseJson.Length == 0)
        {
            return ResultFactory.Failure<TResponse>(InProgress);
        }

        return FromStored(stored.ResponseJson);
    }

    private string Scope(TRequest request)
    {
        var caller = request is IOrganizationRequest scoped ? $"org:{scoped.OrganizationId:N}" : $"user:{currentUser.UserId:N}";
        return $"{typeof(TRequest).Name}:{caller}";
    }

    private static string Hash(TRequest request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request, JsonOptions);
        return Convert.ToHexString(SHA256.HashData(json));
    }

    private static object? ToStored(TResponse response)
    {
        var valueProperty = typeof(TResponse).GetProperty("Value");
        return valueProperty is null ? null : valueProperty.GetValue(response);
    }

    private static TResponse FromStored(string json)
    {
        var type = typeof(TResponse);
        if (type == typeof(Result))
        {
            return (TResponse)(object)Result.Success();
        }

        var valueType = type.GetGenericArguments()[0];
        var value = JsonSerializer.Deserialize(json, valueType, JsonOptions);
        var success = type.GetMethod(nameof(Result.Success), [valueType])!;
        return (TResponse)success.Invoke(null, [value])!;
    }

}
