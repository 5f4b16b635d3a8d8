using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Monolith.Infrastructure.Billing.Payments.Stripe;

/// <summary>
/// The one Stripe.net client of the process (a singleton <see cref="global::Stripe.StripeClient"/>, also registered as
/// <see cref="global::Stripe.IStripeClient"/>): the secret key
/// and <c>Payments:Stripe:ApiBase</c> from settings, HTTP through an <see cref="IHttpClientFactory"/> client (so
/// OpenTelemetry client spans and the per-attempt timeout apply) wrapped in Stripe.net's
/// <see cref="global::Stripe.SystemNetHttpClient"/>, which does the network retries (<c>MaxRetries</c>) with the same
/// <c>Idempotency-Key</c> on every attempt. Infrastructure code may take <see cref="global::Stripe.IStripeClient"/>
/// from DI for Stripe features the payments port does not model (docs/stripe.md, "Escape hatch").
/// </summary>
internal static class StripeSdk
{
    public const string HttpClientName = "stripe-api";

    public static IServiceCollection AddStripeSdk(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                // Per attempt: SystemNetHttpClient sends each retry as its own request on this client.
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.Stripe.RequestTimeoutSeconds);
            })
            // The singleton below holds one HttpClient for the life of the process: pooled connections are renewed
            // (DNS changes are seen) by the primary handler instead of by the factory's handler rotation.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<PaymentsOptions>>().Value.Stripe;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new global::Stripe.StripeClient(new global::Stripe.StripeClientOptions
            {
                ApiKey = string.IsNullOrWhiteSpace(stripe.SecretKey) ? null : stripe.SecretKey.Trim(),
                ApiBase = stripe.ApiBase.TrimEnd('/'),
                HttpClient = new global::Stripe.SystemNetHttpClient(http, stripe.MaxRetries),
            });
        });
        services.AddSingleton<global::Stripe.IStripeClient>(sp => sp.GetRequiredService<global::Stripe.StripeClient>());
        services.AddSingleton<StripeCall>();
        return services;
    }
}
