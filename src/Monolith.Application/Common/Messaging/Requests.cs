using MediatR;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Messaging;

/// <summary>A use case that changes state. The transaction behaviour commits it only when it succeeds.</summary>
public interface ICommand<TResponse> : IRequest<Result<TResponse>>, ICommandBase;

/// <summary>A use case that only reads. Runs without a transaction and never loads aggregates for writing.</summary>
public interface IQuery<TResponse> : IRequest<Result<TResponse>>;

public interface ICommandBase;

/// <summary>
/// A command whose handler makes its one change as a single atomic statement (autocommit), so the transaction
/// behaviour opens no transaction around it (e.g. receiving a webhook into the inbox: one durable INSERT).
/// </summary>
public interface ISingleStatementCommand;

/// <summary>
/// A command whose handler calls the payment provider over the network. The transaction behaviour opens no
/// transaction around the handler: its reads autocommit, the provider call holds no transaction (nor a pooled
/// connection) open, and what the handler changed is saved in one short transaction after it returns. "Once" is kept
/// by deterministic provider idempotency keys and the database's unique keys at that commit, never by locks.
/// </summary>
public interface IProviderCallingCommand;

// Every request declares who may send it by implementing exactly one of the interfaces below.
// The authorization behaviour refuses (as a bug) any request that declares none.

/// <summary>Anyone, signed in or not (e.g. registration).</summary>
public interface IAnonymousRequest;

/// <summary>Any signed-in user, acting for themselves.</summary>
public interface IAuthenticatedRequest;

/// <summary>A member of <see cref="OrganizationId"/> holding at least <see cref="MinimumRole"/>.</summary>
public interface IOrganizationRequest
{
    Guid OrganizationId { get; }
    OrganizationRole MinimumRole { get; }
}

/// <summary>A user in the <c>ops</c> role.</summary>
public interface IOpsRequest;

/// <summary>The system itself: verified webhooks, recurring jobs, outbox handlers. Never bound to user input.</summary>
public interface ISystemRequest;

/// <summary>A command a client may retry safely by sending the same <see cref="IdempotencyKey"/>.</summary>
public interface IIdempotentCommand
{
    /// <summary>The client's key (e.g. the <c>Idempotency-Key</c> header); null when the client sent none.</summary>
    string? IdempotencyKey { get; }
}
