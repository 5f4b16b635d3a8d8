namespace Monolith.Application.Common.Interfaces;

/// <summary>
/// The app's own public origin (scheme://host[:port]) as the caller reached it, or as configured. Redirect targets
/// must be on it or on a configured allowlist, so the app is never an open redirect.
/// </summary>
public interface IAppOrigin
{
    Uri Current { get; }
}
