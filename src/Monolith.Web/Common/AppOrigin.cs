using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Monolith.Application.Common.Interfaces;

namespace Monolith.Web.Common;

/// <summary>
/// <c>App:PublicBaseUrl</c> when set (behind a proxy), otherwise the scheme and host of the current request. Outside a
/// request (outbox handlers composing emails) without <c>App:PublicBaseUrl</c>: the first address the server listens
/// on (a wildcard host becomes localhost), else http://localhost — good enough for development; production sets
/// <c>App:PublicBaseUrl</c> (required when email goes out over SMTP).
/// </summary>
internal sealed class AppOrigin(IHttpContextAccessor accessor, IConfiguration configuration, IServer server) : IAppOrigin
{
    public Uri Current
    {
        get
        {
            if (Uri.TryCreate(configuration["App:PublicBaseUrl"], UriKind.Absolute, out var configured))
            {
                return configured;
            }

            if (accessor.HttpContext?.Request is { } request)
            {
                return new Uri($"{request.Scheme}://{request.Host}");
            }

            return ListeningOrigin() ?? new Uri("http://localhost");
        }
    }

    private Uri? ListeningOrigin()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        var normalized = address.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? new Uri(uri.GetLeftPart(UriPartial.Authority)) : null;
    }
}
