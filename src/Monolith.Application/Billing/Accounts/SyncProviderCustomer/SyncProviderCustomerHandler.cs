using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Monolith.Application.Billing.Notifications;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Common.Interfaces;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Common;

namespace Monolith.Application.Billing.Accounts.SyncProviderCustomer;

/// <summary>
/// Keeps the provider's customer in line with the app: after an organisation is renamed or its billing email changes
/// in the app, the customer gets the current name, email and metadata (read now, not taken from the event, so
/// deliveries in any order converge on the latest). An email the provider itself reported is not sent back. An account
/// without a customer at the provider has nothing to update: its customer is created with the current details. The
/// key is the message plus what is sent, so a retry replays the same update and a retry after a further change sends it.
/// </summary>
internal sealed class SyncProviderCustomerHandler(IAppDbContext db, IBillingContacts contacts, IPaymentsPort payments)
    : IOutboxHandler<OrganizationRenamed>, IOutboxHandler<BillingEmailChanged>
{
    public const string HandlerName = "billing.accounts.sync-provider-customer";

    public string Name => HandlerName;

    public async Task<Result> HandleAsync(OrganizationRenamed e, OutboxContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(ctx);
        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == e.OrganizationId, ct);
        return await SyncAsync(account, ctx, ct);
    }

    public async Task<Result> HandleAsync(BillingEmailChanged e, OutboxContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(ctx);
        if (string.Equals(e.Provider, payments.Provider, StringComparison.Ordinal))
        {
            return Result.Success();
        }

        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == e.BillingAccountId, ct);
        return await SyncAsync(account, ctx, ct);
    }

    public static string IdempotencyKey(Guid messageId, CreateCustomerRequest details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes($"{details.Name}\n{details.Email}"));
        return $"customer-sync-{messageId:N}-{Convert.ToHexStringLower(sent.AsSpan(0, 8))}";
    }

    private async Task<Result> SyncAsync(BillingAccount? account, OutboxContext ctx, CancellationToken ct)
    {
        if (account?.CustomerIdFor(payments.Provider) is not { } customerId)
        {
            return Result.Success();
        }

        var details = await db.CustomerDetailsAsync(contacts, account, ct);
        return await payments.UpdateCustomerAsync(customerId, details, IdempotencyKey(ctx.MessageId, details), ct);
    }
}
