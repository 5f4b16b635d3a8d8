using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Identity;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing;

/// <summary>Rows the billing tables reference: a user, the organisation they own, and its billing account.</summary>
internal static class BillingSeed
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh provider slug, so tests sharing a class database never collide on provider ids.</summary>
    public static string NewProvider() => $"p{Guid.NewGuid():N}"[..20];

    public static async Task<Guid> OrganizationAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var userId = Guid.NewGuid();
        db.Users.Add(new ApplicationUser
        {
            Id = userId,
            UserName = $"u{userId:N}",
            NormalizedUserName = $"U{userId:N}",
            Email = $"u{userId:N}@example.test",
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = T0,
        });
        var organization = Organization.Create(Guid.NewGuid(), "Billing test", userId, isPersonal: true, T0).Value;
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization.Id;
    }

    public static async Task<BillingAccount> AccountAsync(TestDatabase database, Guid? accountId = null)
    {
        var organizationId = await OrganizationAsync(database);
        await using var db = database.CreateContext();
        var account = BillingAccount.Open(accountId ?? Guid.NewGuid(), organizationId, T0).Value;
        db.BillingAccounts.Add(account);
        await db.SaveChangesAsync();
        return account;
    }

    public static CheckoutSession Session(Guid accountId, string provider, string sessionId, string priceId, CheckoutMode mode) =>
        CheckoutSession.Open(Guid.NewGuid(), accountId, provider, sessionId, priceId, mode, T0.AddDays(1), T0).Value;
}
