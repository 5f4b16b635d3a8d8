using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>
/// Innermost behaviour for commands: one database transaction around the handler; SaveChanges (which also writes
/// the outbox rows for raised domain events) and commit only when the handler succeeded. Queries, and commands that
/// make one atomic statement themselves (<see cref="ISingleStatementCommand"/>), pass straight through. Commands that
/// call the payment provider (<see cref="IProviderCallingCommand"/>) get only the short transaction around the save.
/// </summary>
internal sealed class TransactionBehaviour<TRequest, TResponse>(IAppDbContext db, CommitContext commit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandBase || request is ISingleStatementCommand || db.Database.CurrentTransaction is not null)
        {
            return await next();
        }

        // A provider-calling command runs its handler outside any transaction and commits in a short one afterwards.
        var transaction = request is IProviderCallingCommand ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var response = await next();
            if (response is IResultBase { IsSuccess: false })
            {
                await RollbackAsync(transaction, cancellationToken);
                return response;
            }

            transaction ??= await db.Database.BeginTransactionAsync(cancellationToken);
            commit.RunBeforeCommit(response);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return response;
        }
        catch (DbUpdateConcurrencyException)
        {
            await RollbackAsync(transaction, CancellationToken.None);
            return ResultFactory.Failure<TResponse>(CommonErrors.ConcurrencyConflict);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Unique keys are how the database enforces "once" (inbox, usage, idempotency): losing that race is a
            // conflict the caller can retry, not a server fault.
            await RollbackAsync(transaction, CancellationToken.None);
            return ResultFactory.Failure<TResponse>(CommonErrors.DuplicateConflict);
        }
        catch
        {
            await RollbackAsync(transaction, CancellationToken.None);
            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private async Task RollbackAsync(IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        db.DiscardChanges();
    }
}
