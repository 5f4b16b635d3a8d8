using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Accounts.Organizations.CreateOrganization;

/// <summary>Creates a shared organisation owned by the caller. Safe to retry with the same idempotency key.</summary>
public sealed record CreateOrganizationCommand(string Name, string? IdempotencyKey = null)
    : ICommand<CreateOrganizationResult>, IAuthenticatedRequest, IIdempotentCommand;

public sealed record CreateOrganizationResult(Guid OrganizationId, string Name);
