using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Accounts;

/// <summary>
/// The billing side of one organisation: which customer stands for it at each provider, whether it has already had
/// its one trial, and the email billing mail goes to when it is not the organisation owner's.
/// </summary>
public sealed class BillingAccount : AggregateRoot<Guid>
{
    private readonly List<ProviderCustomer> _customers = [];

    private BillingAccount()
    {
    }

    public Guid OrganizationId { get; private set; }
    public bool HasUsedTrial { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public IReadOnlyList<ProviderCustomer> Customers => _customers;

    /// <summary>The billing contact's email, set in the app or reported by the provider; null: the organisation owner's.</summary>
    public string? BillingEmail { get; private set; }

    /// <summary>When <see cref="BillingEmail"/> was last set: the server's time for a change in the app, the provider's event time for a report.</summary>
    public DateTimeOffset? BillingEmailChangedAt { get; private set; }

    public static Result<BillingAccount> Open(Guid id, Guid organizationId, DateTimeOffset now)
    {
        if (id == Guid.Empty || organizationId == Guid.Empty)
        {
            return BillingAccountErrors.IdRequired;
        }

        var account = new BillingAccount { Id = id, OrganizationId = organizationId, OpenedAt = now };
        account.Raise(new BillingAccountOpened(id, organizationId, now));
        return account;
    }

    public string? CustomerIdFor(string provider) =>
        _customers.Find(c => string.Equals(c.Provider, provider, StringComparison.Ordinal))?.CustomerId;

    /// <summary>
    /// Links the provider's customer to this account. Linking the same id again succeeds without change;
    /// a different id for a provider that already has one is a conflict.
    /// </summary>
    public Result LinkCustomer(string provider, string customerId, DateTimeOffset now)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        var validCustomer = BillingIds.Require(customerId, BillingAccountErrors.CustomerIdRequired);
        if (validCustomer.IsFailure)
        {
            return validCustomer.Error;
        }

        var existing = CustomerIdFor(validProvider.Value);
        if (existing is not null)
        {
            return string.Equals(existing, validCustomer.Value, StringComparison.Ordinal)
                ? Result.Success()
                : BillingAccountErrors.CustomerAlreadyLinked;
        }

        _customers.Add(new ProviderCustomer(Id, validProvider.Value, validCustomer.Value, now));
        Raise(new ProviderCustomerLinked(Id, OrganizationId, validProvider.Value, validCustomer.Value, now));
        return Result.Success();
    }

    /// <summary>The billing contact's email changes in the app (an admin sets it). Setting the same email again changes nothing.</summary>
    public Result ChangeBillingEmail(string email, DateTimeOffset now)
    {
        var valid = ValidEmail(email);
        if (valid.IsFailure)
        {
            return valid.Error;
        }

        if (string.Equals(valid.Value, BillingEmail, StringComparison.Ordinal))
        {
            return Result.Success();
        }

        SetBillingEmail(valid.Value, provider: null, now);
        return Result.Success();
    }

    /// <summary>
    /// The provider reports the customer's email as of <paramref name="reportedAt"/> (its event time), e.g. after the
    /// customer edited it in the provider's portal. True when it changed the email; false for the email already held,
    /// for a blank one (an email removed at the provider keeps ours) and for a report older than the last change, so
    /// reports applied in any order end with the newest.
    /// </summary>
    public Result<bool> RecordProviderEmail(string provider, string? email, DateTimeOffset reportedAt)
    {
        var validProvider = BillingProvider.Normalize(provider);
        if (validProvider.IsFailure)
        {
            return validProvider.Error;
        }

        if (string.IsNullOrWhiteSpace(email) || (BillingEmailChangedAt is { } last && reportedAt <= last))
        {
            return false;
        }

        var valid = ValidEmail(email);
        if (valid.IsFailure)
        {
            return valid.Error;
        }

        if (string.Equals(valid.Value, BillingEmail, StringComparison.Ordinal))
        {
            return false;
        }

        SetBillingEmail(valid.Value, validProvider.Value, reportedAt);
        return true;
    }

    private void SetBillingEmail(string email, string? provider, DateTimeOffset at)
    {
        BillingEmail = email;
        BillingEmailChangedAt = at;
        Raise(new BillingEmailChanged(Id, OrganizationId, email, provider, at));
    }

    private static Result<string> ValidEmail(string? email)
    {
        var trimmed = email?.Trim() ?? string.Empty;
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < trimmed.Length - 1 && trimmed.Length <= BillingAccountErrors.EmailMaxLength && !trimmed.Any(char.IsWhiteSpace)
            ? trimmed
            : BillingAccountErrors.EmailInvalid;
    }

    /// <summary>Records that the account's one trial has been granted. A second trial is refused.</summary>
    public Result MarkTrialUsed(DateTimeOffset now)
    {
        if (HasUsedTrial)
        {
            return BillingAccountErrors.TrialAlreadyUsed;
        }

        HasUsedTrial = true;
        Raise(new TrialUsed(Id, OrganizationId, now));
        return Result.Success();
    }
}

/// <summary>The customer that represents a billing account at one provider. Append-only.</summary>
public sealed class ProviderCustomer
{
    private ProviderCustomer()
    {
        Provider = string.Empty;
        CustomerId = string.Empty;
    }

    internal ProviderCustomer(Guid billingAccountId, string provider, string customerId, DateTimeOffset linkedAt)
    {
        BillingAccountId = billingAccountId;
        Provider = provider;
        CustomerId = customerId;
        LinkedAt = linkedAt;
    }

    public Guid BillingAccountId { get; private set; }
    public string Provider { get; private set; }
    public string CustomerId { get; private set; }
    public DateTimeOffset LinkedAt { get; private set; }
}

public sealed record BillingAccountOpened(Guid BillingAccountId, Guid OrganizationId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ProviderCustomerLinked(Guid BillingAccountId, Guid OrganizationId, string Provider, string CustomerId, DateTimeOffset OccurredAt)
    : IDomainEvent;

/// <summary>
/// The billing contact's email changed. <paramref name="Provider"/> is the provider that reported it (its customer
/// already has it), null when it was changed in the app.
/// </summary>
public sealed record BillingEmailChanged(Guid BillingAccountId, Guid OrganizationId, string Email, string? Provider, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record TrialUsed(Guid BillingAccountId, Guid OrganizationId, DateTimeOffset OccurredAt) : IDomainEvent;

public static class BillingAccountErrors
{
    public const int EmailMaxLength = 320;

    public static readonly Error EmailInvalid =
        Error.Validation("billing.account.email_invalid", "The billing email must be an email address (at most 320 characters).");

    public static readonly Error IdRequired =
        Error.Validation("billing.account.id_required", "A billing account needs an id and an organisation.");

    public static readonly Error CustomerIdRequired =
        Error.Validation("billing.account.customer_id_required", "A provider customer id must not be blank.");

    public static readonly Error CustomerAlreadyLinked =
        Error.Conflict("billing.account.customer_already_linked", "This account is already linked to a different customer at that provider.");

    public static readonly Error CustomerLinkedElsewhere =
        Error.Conflict("billing.account.customer_linked_elsewhere", "That provider customer belongs to a different billing account.");

    public static readonly Error TrialAlreadyUsed =
        Error.Rule("billing.account.trial_already_used", "This account has already had its trial.");

    public static readonly Error NotFound =
        Error.NotFound("billing.account.not_found", "Billing account not found.");
}
