namespace Monolith.Application.Common.Interfaces;

/// <summary>Who is calling. Web fills it from the cookie principal; jobs and webhooks run as nobody.</summary>
public interface ICurrentUser
{
    Guid? UserId { get; }
    bool IsOps { get; }
}
