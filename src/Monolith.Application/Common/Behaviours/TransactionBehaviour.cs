using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>
/// Innermost behaviour for commands: one database transaction around the handler; SaveChanges (which also writes
/// the outbox rows for raised domain events) and commit only when the handler succeeded. Queries, and commands that
/// make one atomic statement themselves (<see cref="ISingleStatementCommand"/>), pass straight through.
/// </summary>
internal sealed class TransactionBehaviour<TRequest, TResponse>(IAppDbContext db, CommitContext commit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandBase || request is ISingleStatementCommand || db.Database.CurrentTransaction is not null)
        {
            return await next();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        TResponse response;
        try
        {
            response = await next();
            if (response is IResultBase { IsSuccess: false })
            {
                await transaction.RollbackAsync(cancellationToken);
                db.DiscardChanges();
                return response;
            }

            commit.RunBeforeCommit(response);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.DiscardChanges();
            return ResultFactory.Failure<TResponse>(CommonErrors.ConcurrencyConflict);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Unique keys are how the database enforces "once" (inbox, usage, idempotency): losing that race is a
            // conflict the caller can retry, not a server fault.
            await transaction.RollbackAsync(CancellationToken.None);
            db.DiscardChanges();
            return ResultFactory.Failure<TResponse>(CommonErrors.DuplicateConflict);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.DiscardChanges();
            throw;
        }

        return response;
    }
}
