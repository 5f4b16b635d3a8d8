using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Webhooks.ApplyReceivedWebhooks;

internal sealed class ApplyReceivedWebhooksHandler(
    IAppDbContext db, IWebhookInbox inbox, InboxEventProcessor processor, TimeProvider clock)
    : IRequestHandler<ApplyReceivedWebhooksCommand, Result<ApplyReceivedWebhooksResult>>
{
    public async Task<Result<ApplyReceivedWebhooksResult>> Handle(ApplyReceivedWebhooksCommand request, CancellationToken cancellationToken)
    {
        var claimed = await inbox.ClaimReceivedAsync(request.Ids, cancellationToken);
        if (claimed.Count == 0)
        {
            return new ApplyReceivedWebhooksResult([]);
        }

        // A failed save fails the whole batch (it is rolled back and retried one event at a time), so the savepoint EF
        // would set around every save is two round trips per event for nothing.
        db.Database.AutoSavepointsEnabled = false;
        var outcomes = new List<ProcessedWebhook>(claimed.Count);
        var rows = (await db.WebhookEvents.AsNoTracking().Where(e => claimed.Contains(e.Id)).ToListAsync(cancellationToken))
            .ToDictionary(r => r.Id);
        foreach (var id in claimed)
        {
            // Tracked one at a time (see below): attached as loaded, so the save writes only what this event changes.
            var row = rows[id];
            db.WebhookEvents.Attach(row);
            var processed = await processor.ProcessAsync(row, events: null, clock.GetUtcNow(), cancellationToken);
            if (processed.IsFailure)
            {
                return processed.Error;
            }

            // Saved (not committed) now, so the next event of the batch reads what this one wrote; then forgotten, so
            // each save only looks at what its own event changed (the batch's one commit still covers them all).
            await db.SaveChangesAsync(cancellationToken);
            db.DiscardChanges();
            outcomes.Add(new ProcessedWebhook(row.Provider, row.Status));
        }

        return new ApplyReceivedWebhooksResult(outcomes);
    }
}

internal sealed class FailReceivedWebhookHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<FailReceivedWebhookCommand, Result<bool>>
{
    public async Task<Result<bool>> Handle(FailReceivedWebhookCommand request, CancellationToken cancellationToken)
    {
        var row = await db.WebhookEvents.FirstOrDefaultAsync(e => e.Id == request.WebhookEventId, cancellationToken);
        if (row is not { Status: WebhookEventStatus.Received })
        {
            return false;
        }

        var marked = row.MarkFailed(request.Error, clock.GetUtcNow());
        return marked.IsFailure ? marked.Error : true;
    }
}
