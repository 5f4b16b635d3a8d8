using Monolith.Domain.Common;

namespace Monolith.Application.Common.Interfaces;

/// <summary>The part of user management the Application needs; implemented over ASP.NET Core Identity.</summary>
public interface IIdentityService
{
    Task<Result<Guid>> CreateUserAsync(string email, string password, CancellationToken cancellationToken);
}
