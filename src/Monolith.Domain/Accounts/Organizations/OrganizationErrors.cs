using Monolith.Domain.Common;

namespace Monolith.Domain.Accounts.Organizations;

public static class OrganizationErrors
{
    public const int NameMaxLength = 100;

    public static readonly Error NameRequired =
        Error.Validation("accounts.organization.name_required", "An organisation needs a name.");

    public static readonly Error NameTooLong =
        Error.Validation("accounts.organization.name_too_long", $"An organisation name has at most {NameMaxLength} characters.");

    public static readonly Error AlreadyMember =
        Error.Conflict("accounts.organization.already_member", "That user is already a member of this organisation.");

    public static readonly Error NotMember =
        Error.NotFound("accounts.organization.member_not_found", "That user is not a member of this organisation.");

    public static readonly Error LastOwner =
        Error.Rule("accounts.organization.last_owner", "An organisation must keep at least one owner.");

    public static readonly Error NotFound =
        Error.NotFound("accounts.organization.not_found", "Organisation not found.");
}
