using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Stripe;
using Price = Monolith.Domain.Billing.Catalog.Price;

namespace Monolith.Infrastructure.Billing.Payments;

/// <summary>One line of the <c>doctor</c> report.</summary>
public sealed record DoctorFinding(bool Ok, string Message);

/// <summary>The payment provider's part of <c>doctor</c>: reachable, and every sellable catalogue price known to it.</summary>
public interface IPaymentsDoctor
{
    Task<IReadOnlyList<DoctorFinding>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Prices that can be bought (active and not free) must carry an id for the active provider.</summary>
internal static class SellablePrices
{
    public static IEnumerable<Price> Of(PlanCatalog catalog) =>
        catalog.Prices.Values.Where(p => p.IsActive && p.Amount.AmountMinor > 0).OrderBy(p => p.Id, StringComparer.Ordinal);

    public static DoctorFinding Missing(Price price, string provider) => new(false,
        $"price '{price.Id}' has no '{provider}' provider price id (Billing:Plans:…:Prices:…:ProviderPriceIds:{provider}); it cannot be sold.");
}

/// <summary>Outside Development without <c>Payments:InMemory:AllowOutsideDevelopment</c> the options fail validation first, and doctor lists that.</summary>
internal sealed class InMemoryPaymentsDoctor(PlanCatalog catalog, IHostEnvironment environment) : IPaymentsDoctor
{
    public Task<IReadOnlyList<DoctorFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        var findings = SellablePrices.Of(catalog)
            .Where(p => p.ProviderPriceIdFor(BillingProvider.InMemory) is null)
            .Select(p => SellablePrices.Missing(p, BillingProvider.InMemory))
            .ToList();
        var allowed = environment.IsDevelopment() ? string.Empty
            : $" — allowed outside Development by Payments:InMemory:AllowOutsideDevelopment ('{environment.EnvironmentName}'): test cards grant paid plans";
        findings.Insert(0, new DoctorFinding(true, $"payments: in-memory simulator (local; no external provider to reach){allowed}"));
        return Task.FromResult<IReadOnlyList<DoctorFinding>>(findings);
    }
}

/// <summary>
/// Stripe's part of <c>doctor</c>: the key works (one cheap authenticated read), every webhook secret has the shape of a
/// signing secret, and every sellable catalogue price exists at Stripe with the catalogue's amount, currency and
/// interval, and is active. Each problem is one finding that names the setting or the price (never a secret).
/// </summary>
internal sealed class StripePaymentsDoctor(PlanCatalog catalog, StripeClient stripe, StripeCall call, IOptions<PaymentsOptions> options) : IPaymentsDoctor
{
    public async Task<IReadOnlyList<DoctorFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding> { await CheckKeyAsync(cancellationToken) };
        findings.AddRange(CheckWebhookSecrets(options.Value.Stripe.WebhookSecrets));
        var verified = 0;
        var priceFindings = new List<DoctorFinding>();
        foreach (var price in SellablePrices.Of(catalog))
        {
            if (price.ProviderPriceIdFor(BillingProvider.Stripe) is not { } stripeId)
            {
                priceFindings.Add(SellablePrices.Missing(price, BillingProvider.Stripe));
                continue;
            }

            var remote = await call.RunAsync("get_price", ct => stripe.V1.Prices.GetAsync(stripeId, null, null, ct), cancellationToken);
            if (remote.IsFailure)
            {
                priceFindings.Add(new DoctorFinding(false, $"price '{price.Id}': Stripe price '{stripeId}' could not be read: {remote.Error.Message} ({remote.Error.Code})"));
                continue;
            }

            var differences = Compare(price, remote.Value);
            if (differences.Count > 0)
            {
                priceFindings.Add(new DoctorFinding(false, $"price '{price.Id}': Stripe price '{stripeId}' differs from the catalogue: {string.Join("; ", differences)}"));
            }
            else
            {
                verified++;
            }
        }

        findings.Add(new DoctorFinding(verified > 0 || priceFindings.Count == 0, $"payments: Stripe — {verified} catalogue price(s) verified against the API"));
        findings.AddRange(priceFindings);
        return findings;
    }

    /// <summary>
    /// <c>GET /v1/prices?limit=1</c>: authenticated, cheap, and a permission the adapter needs anyway (a restricted
    /// key without it could not pass the price checks either).
    /// </summary>
    private async Task<DoctorFinding> CheckKeyAsync(CancellationToken cancellationToken)
    {
        var mode = KeyMode(options.Value.Stripe.SecretKey);
        var read = await call.RunAsync("list_prices", ct => stripe.V1.Prices.ListAsync(new PriceListOptions { Limit = 1 }, null, ct), cancellationToken);
        return read.IsSuccess
            ? new DoctorFinding(true, $"payments: Stripe key accepted ({mode}) at {stripe.ApiBase}")
            : new DoctorFinding(false, $"payments: Stripe key ({mode}, Payments:Stripe:SecretKey) not usable at {stripe.ApiBase}: {read.Error.Message} ({read.Error.Code})");
    }

    /// <summary>A signing secret is <c>whsec_</c> and a base64 body; an API key or a secret pasted with quotes is not.</summary>
    internal static IEnumerable<DoctorFinding> CheckWebhookSecrets(IList<string> secrets)
    {
        var good = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            if (string.IsNullOrWhiteSpace(secret))
            {
                continue;
            }

            if (secret.StartsWith("whsec_", StringComparison.Ordinal) && secret.Length > "whsec_".Length + 16 &&
                secret.AsSpan("whsec_".Length).IndexOfAnyExcept(WebhookSecretCharacters) < 0)
            {
                good++;
            }
            else
            {
                yield return new DoctorFinding(false,
                    $"Payments:Stripe:WebhookSecrets:{i} (env Payments__Stripe__WebhookSecrets__{i}) is not a webhook signing secret: it should look like 'whsec_…' (the endpoint's secret in the dashboard, or the one `stripe listen` prints).");
            }
        }

        if (good > 0)
        {
            yield return new DoctorFinding(true, $"payments: {good} Stripe webhook signing secret(s) of the right shape");
        }
    }

    private static readonly System.Buffers.SearchValues<char> WebhookSecretCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-");

    private static string KeyMode(string? key) => key switch
    {
        not null when key.StartsWith("sk_live_", StringComparison.Ordinal) || key.StartsWith("rk_live_", StringComparison.Ordinal) => "live mode",
        not null when key.StartsWith("sk_test_", StringComparison.Ordinal) || key.StartsWith("rk_test_", StringComparison.Ordinal) => "test mode",
        _ => "not an sk_/rk_ key",
    };

    private static List<string> Compare(Price price, global::Stripe.Price remote)
    {
        var differences = new List<string>();
        if (remote.UnitAmount != price.Amount.AmountMinor)
        {
            differences.Add($"amount {remote.UnitAmount?.ToString(CultureInfo.InvariantCulture) ?? "none"} ≠ {price.Amount.AmountMinor}");
        }

        if (!string.Equals(remote.Currency, price.Amount.Currency, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"currency {remote.Currency ?? "none"} ≠ {price.Amount.Currency}");
        }

        var interval = remote.Recurring is { } recurring
            ? (recurring.IntervalCount is 1 or 0 ? recurring.Interval : $"every {recurring.IntervalCount} {recurring.Interval}s")
            : null;
        var expected = price.Interval switch { BillingInterval.Month => "month", BillingInterval.Year => "year", _ => null };
        if (!string.Equals(interval, expected, StringComparison.Ordinal))
        {
            differences.Add($"interval {interval ?? "one-time"} ≠ {expected ?? "one-time"}");
        }

        if (!remote.Active)
        {
            differences.Add("inactive at Stripe");
        }

        return differences;
    }
}
