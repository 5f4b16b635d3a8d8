using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Accounts.Users.RegisterUser;

/// <summary>Creates a user and their personal organisation, in one transaction.</summary>
public sealed record RegisterUserCommand(string Email, string Password) : ICommand<RegisterUserResult>, IAnonymousRequest
{
    // Never let the password reach a log or an idempotency hash through ToString.
    public override string ToString() => $"{nameof(RegisterUserCommand)} {{ Email = {Email} }}";
}

public sealed record RegisterUserResult(Guid UserId, Guid PersonalOrganizationId);
