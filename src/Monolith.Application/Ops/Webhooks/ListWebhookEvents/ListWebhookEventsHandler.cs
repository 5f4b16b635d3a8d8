using MediatR;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Ops.Common;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Webhooks.ListWebhookEvents;

internal sealed class ListWebhookEventsHandler(IAppDbContext db) : IRequestHandler<ListWebhookEventsQuery, Result<OpsPage<WebhookEventRow>>>
{
    public async Task<Result<OpsPage<WebhookEventRow>>> Handle(ListWebhookEventsQuery request, CancellationToken cancellationToken)
    {
        var query = db.WebhookEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.EventId))
        {
            var eventId = request.EventId.Trim();
            query = query.Where(e => e.ProviderEventId == eventId);
        }

        if (!string.IsNullOrWhiteSpace(request.Type))
        {
            var type = request.Type.Trim();
            query = query.Where(e => e.Type.StartsWith(type));
        }

        if (request.Status is { } status)
        {
            query = query.Where(e => e.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(request.Account))
        {
            var needles = await AccountNeedlesAsync(request.Account.Trim(), cancellationToken);
            string n0 = needles[0], n1 = needles[Math.Min(1, needles.Count - 1)], n2 = needles[Math.Min(2, needles.Count - 1)];
            query = query.Where(e => e.Payload.Contains(n0) || e.Payload.Contains(n1) || e.Payload.Contains(n2));
        }

        var size = OpsPage<WebhookEventRow>.DefaultSize;
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(e => e.ReceivedAt).ThenBy(e => e.Id)
            .Skip(OpsPage<WebhookEventRow>.Skip(request.Page, size)).Take(size)
            .Select(e => new WebhookEventRow(e.Id, e.Provider, e.ProviderEventId, e.Type, e.Status, e.ReceivedAt, e.ProcessedAt, e.Attempts, e.Error))
            .ToListAsync(cancellationToken);
        return new OpsPage<WebhookEventRow>(rows, Math.Max(request.Page, 1), size, total);
    }

    /// <summary>
    /// What a payload would contain for this account: for an organisation or billing account id, the billing account id
    /// (metadata / client reference) and its provider customer ids (at most two); anything else is taken as a customer id.
    /// </summary>
    private async Task<IReadOnlyList<string>> AccountNeedlesAsync(string account, CancellationToken ct)
    {
        if (!Guid.TryParse(account, out var id))
        {
            return [account];
        }

        var match = await db.BillingAccounts.AsNoTracking()
            .Where(a => a.Id == id || a.OrganizationId == id)
            .Select(a => new { a.Id, Customers = a.Customers.Select(c => c.CustomerId).ToList() })
            .FirstOrDefaultAsync(ct);
        return match is null ? [id.ToString()] : [match.Id.ToString(), .. match.Customers.Take(2)];
    }
}
