using Monolith.Application.Common.Interfaces;

namespace Monolith.Web.Common;

/// <summary><c>App:PublicBaseUrl</c> when set (behind a proxy), otherwise the scheme and host of the current request.</summary>
internal sealed class AppOrigin(IHttpContextAccessor accessor, IConfiguration configuration) : IAppOrigin
{
    public Uri Current
    {
        get
        {
            if (Uri.TryCreate(configuration["App:PublicBaseUrl"], UriKind.Absolute, out var configured))
            {
                return configured;
            }

            var request = accessor.HttpContext?.Request
                ?? throw new InvalidOperationException("No HTTP request: set App:PublicBaseUrl for work outside requests.");
            return new Uri($"{request.Scheme}://{request.Host}");
        }
    }
}
