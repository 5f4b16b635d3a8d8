namespace Monolith.Application.Billing.Notifications;

/// <summary>Who hears about a billing account: the owner of its organisation (users live in Identity, outside the Application).</summary>
public interface IBillingContacts
{
    /// <summary>Null when the account, its organisation or an owner with an email address is gone.</summary>
    Task<BillingContact?> FindAsync(Guid billingAccountId, CancellationToken cancellationToken);
}

public sealed record BillingContact(string Email, string OrganizationName);
