using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments.Stripe;

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
/// Retrieves every sellable price's Stripe price from the API (so it also proves the key and the network work) and
/// compares amount, currency, interval and active flag with the catalogue.
/// </summary>
internal sealed class StripePaymentsDoctor(PlanCatalog catalog, IHttpClientFactory httpClients, ILogger<StripeClient> logger) : IPaymentsDoctor
{
    public async Task<IReadOnlyList<DoctorFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        var client = new StripeClient(httpClients.CreateClient(StripeClient.HttpClientName), logger);
        var findings = new List<DoctorFinding>();
        var verified = 0;
        foreach (var price in SellablePrices.Of(catalog))
        {
            if (price.ProviderPriceIdFor(BillingProvider.Stripe) is not { } stripeId)
            {
                findings.Add(SellablePrices.Missing(price, BillingProvider.Stripe));
                continue;
            }

            var remote = await client.SendAsync(StripeRequests.RetrievePrice(stripeId), cancellationToken);
            if (remote.IsFailure)
            {
                findings.Add(new DoctorFinding(false, $"price '{price.Id}': Stripe price '{stripeId}' could not be read: {remote.Error.Message} ({remote.Error.Code})"));
                continue;
            }

            var differences = Compare(price, remote.Value);
            if (differences.Count > 0)
            {
                findings.Add(new DoctorFinding(false, $"price '{price.Id}': Stripe price '{stripeId}' differs from the catalogue: {string.Join("; ", differences)}"));
            }
            else
            {
                verified++;
            }
        }

        findings.Insert(0, new DoctorFinding(verified > 0 || findings.Count == 0,
            $"payments: Stripe — {verified} catalogue price(s) verified against the API"));
        return findings;
    }

    private static List<string> Compare(Price price, JsonElement remote)
    {
        var differences = new List<string>();
        var amount = remote.TryGetProperty("unit_amount", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt64() : (long?)null;
        if (amount != price.Amount.AmountMinor)
        {
            differences.Add($"amount {amount?.ToString(CultureInfo.InvariantCulture) ?? "none"} ≠ {price.Amount.AmountMinor}");
        }

        var currency = remote.TryGetProperty("currency", out var c) ? c.GetString() : null;
        if (!string.Equals(currency, price.Amount.Currency, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"currency {currency ?? "none"} ≠ {price.Amount.Currency}");
        }

        var interval = remote.TryGetProperty("recurring", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("interval", out var i)
            ? i.GetString()
            : null;
        var expected = price.Interval switch { BillingInterval.Month => "month", BillingInterval.Year => "year", _ => null };
        if (!string.Equals(interval, expected, StringComparison.Ordinal))
        {
            differences.Add($"interval {interval ?? "one-time"} ≠ {expected ?? "one-time"}");
        }

        if (remote.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.False)
        {
            differences.Add("inactive at Stripe");
        }

        return differences;
    }
}
