namespace Monolith.Application.Billing.Notifications;

/// <summary>
/// Who hears about a billing account: its billing email when one is set, else the owner of its organisation (users
/// live in Identity, outside the Application).
/// </summary>
public interface IBillingContacts
{
    /// <summary>Null when the account or its organisation is gone, or it has no billing email and no owner with an email address.</summary>
    Task<BillingContact?> FindAsync(Guid billingAccountId, CancellationToken cancellationToken);

    /// <summary>The email of the organisation's longest-standing owner; null when none has one.</summary>
    Task<string?> OwnerEmailAsync(Guid organizationId, CancellationToken cancellationToken);
}

public sealed record BillingContact(string Email, string OrganizationName);
