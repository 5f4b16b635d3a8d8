using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Messaging;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Retention.PruneRetention;

/// <summary>
/// Deletes request-idempotency records created before <see cref="IdempotencyBefore"/> and outbox bookkeeping completed
/// before <see cref="OutboxBefore"/> (see <see cref="IOutboxRetention"/>). Deleting is idempotent: a second run with the
/// same cut-offs deletes nothing.
/// </summary>
public sealed record PruneRetentionCommand(DateTimeOffset IdempotencyBefore, DateTimeOffset OutboxBefore) : ICommand<PruneRetentionResult>, ISystemRequest;

public sealed record PruneRetentionResult(int IdempotencyRecords, int Deliveries, int ProcessedMarkers, int Messages);

/// <summary>The outbox's tables belong to Infrastructure; this is the one thing retention needs from them.</summary>
public interface IOutboxRetention
{
    /// <summary>
    /// Deletes succeeded deliveries completed before <paramref name="before"/>, the processed markers of those
    /// deliveries, and messages dispatched before it that have no deliveries left. Never touches pending, failed or
    /// dead work, and never a marker whose delivery still exists.
    /// </summary>
    Task<(int Deliveries, int Markers, int Messages)> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

internal sealed class PruneRetentionHandler(IAppDbContext db, IOutboxRetention outbox) : IRequestHandler<PruneRetentionCommand, Result<PruneRetentionResult>>
{
    public async Task<Result<PruneRetentionResult>> Handle(PruneRetentionCommand request, CancellationToken cancellationToken)
    {
        var idempotency = await db.IdempotencyRecords.Where(r => r.CreatedAt < request.IdempotencyBefore).ExecuteDeleteAsync(cancellationToken);
        var (deliveries, markers, messages) = await outbox.PruneAsync(request.OutboxBefore, cancellationToken);
        return new PruneRetentionResult(idempotency, deliveries, markers, messages);
    }
}
