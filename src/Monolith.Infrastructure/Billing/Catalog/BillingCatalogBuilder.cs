using System.Globalization;
using Microsoft.Extensions.Options;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Billing.Usage;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Catalog;

/// <summary>The validated outcome of section <c>Billing</c>: the catalogue and the access policy.</summary>
internal sealed record BillingCatalog(PlanCatalog Plans, AccessPolicy AccessPolicy);

/// <summary>
/// Turns the bound <see cref="BillingOptions"/> into the domain catalogue. The domain factories decide what is valid;
/// this class only names the setting at fault (<c>Billing:Plans:2:Prices:0:Currency</c>) and collects every problem.
/// </summary>
internal static class BillingCatalogBuilder
{
    private const string Root = BillingOptions.Section + ":Plans";

    public static (BillingCatalog? Catalog, IReadOnlyList<string> Problems) Build(BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();

        var policy = BuildPolicy(options.AccessPolicy, problems);
        var usage = BuildUsageRules(options.Usage, problems);
        if (options.Plans.Count == 0)
        {
            problems.Add(Problem(Root, "must list at least one plan"));
        }

        var plans = new List<Plan>();
        var prices = new List<Price>();
        var planPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var pricePaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var providerPricePaths = new Dictionary<(string, string), string>();
        for (var i = 0; i < options.Plans.Count; i++)
        {
            var planPath = $"{Root}:{i}";
            var planOptions = options.Plans[i];
            var plan = BuildPlan(planOptions, planPath, problems);
            if (plan is not null)
            {
                if (planPaths.TryGetValue(plan.Id, out var first))
                {
                    problems.Add(Problem($"{planPath}:Id", $"repeats plan id '{plan.Id}' of {first}:Id"));
                }
                else
                {
                    planPaths.Add(plan.Id, planPath);
                    plans.Add(plan);
                }
            }

            for (var j = 0; j < planOptions.Prices.Count; j++)
            {
                var pricePath = $"{planPath}:Prices:{j}";
                var price = BuildPrice(planOptions.Prices[j], plan?.Id ?? planOptions.Id, pricePath, problems);
                if (price is null)
                {
                    continue;
                }

                if (pricePaths.TryGetValue(price.Id, out var firstPrice))
                {
                    problems.Add(Problem($"{pricePath}:Id", $"repeats price id '{price.Id}' of {firstPrice}:Id"));
                    continue;
                }

                var clash = false;
                foreach (var (provider, providerPriceId) in price.ProviderPriceIds)
                {
                    if (providerPricePaths.TryGetValue((provider, providerPriceId), out var other))
                    {
                        problems.Add(Problem($"{pricePath}:ProviderPriceIds:{provider}", $"repeats '{providerPriceId}' of {other}"));
                        clash = true;
                    }
                    else
                    {
                        providerPricePaths.Add((provider, providerPriceId), $"{pricePath}:ProviderPriceIds:{provider}");
                    }
                }

                if (!clash)
                {
                    pricePaths.Add(price.Id, pricePath);
                    prices.Add(price);
                }
            }
        }

        if (problems.Count > 0 || policy is null || usage is null)
        {
            return (null, problems);
        }

        var catalog = PlanCatalog.Create(plans, prices, usage);
        if (catalog.IsFailure)
        {
            return (null, [Problem(Root, catalog.Error.Message)]);
        }

        return (new BillingCatalog(catalog.Value, policy), problems);
    }

    private static AccessPolicy? BuildPolicy(AccessPolicyOptions options, List<string> problems)
    {
        const string path = BillingOptions.Section + ":AccessPolicy:PastDueGracePeriod";
        var paused = ParseFlag(options.PausedGrantsAccess, BillingOptions.Section + ":AccessPolicy:PausedGrantsAccess", problems);
        var grace = AccessPolicy.Default.PastDueGracePeriod;
        if (!string.IsNullOrWhiteSpace(options.PastDueGracePeriod)
            && !TimeSpan.TryParse(options.PastDueGracePeriod, CultureInfo.InvariantCulture, out grace))
        {
            problems.Add(Problem(path, $"must be a duration such as '7.00:00:00', not '{options.PastDueGracePeriod}'"));
            return null;
        }

        if (paused is null)
        {
            return null;
        }

        var policy = AccessPolicy.Create(grace, paused.Value);
        if (policy.IsFailure)
        {
            problems.Add(Problem(path, policy.Error.Message));
            return null;
        }

        return policy.Value;
    }

    private static UsageRules? BuildUsageRules(UsageOptions options, List<string> problems)
    {
        const string path = BillingOptions.Section + ":Usage";
        var perEvent = UsageRules.DefaultMaxQuantityPerEvent;
        var perPeriod = UsageRules.DefaultMaxTotalPerPeriod;
        var count = problems.Count;
        if (!string.IsNullOrWhiteSpace(options.MaxQuantityPerEvent) && !TryParseWhole(options.MaxQuantityPerEvent, out perEvent))
        {
            problems.Add(Problem($"{path}:MaxQuantityPerEvent", $"must be a whole number, not '{options.MaxQuantityPerEvent}'"));
        }

        if (!string.IsNullOrWhiteSpace(options.MaxTotalPerPeriod) && !TryParseWhole(options.MaxTotalPerPeriod, out perPeriod))
        {
            problems.Add(Problem($"{path}:MaxTotalPerPeriod", $"must be a whole number, not '{options.MaxTotalPerPeriod}'"));
        }

        if (problems.Count > count)
        {
            return null;
        }

        var rules = UsageRules.Create(perEvent, perPeriod);
        if (rules.IsFailure)
        {
            var at = rules.Error == UsageErrors.MaxQuantityPerEventInvalid ? "MaxQuantityPerEvent" : "MaxTotalPerPeriod";
            problems.Add(Problem($"{path}:{at}", rules.Error.Message));
            return null;
        }

        return rules.Value;
    }

    private static bool? ParseFlag(string? text, string path, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (bool.TryParse(text, out var flag))
        {
            return flag;
        }

        problems.Add(Problem(path, $"must be 'true' or 'false', not '{text}'"));
        return null;
    }

    private static Plan? BuildPlan(PlanOptions options, string path, List<string> problems)
    {
        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (feature, text) in options.Limits)
        {
            if (TryParseWhole(text, out var limit))
            {
                limits[feature] = limit;
            }
            else
            {
                problems.Add(Problem($"{path}:Limits:{feature}", $"must be a whole number, not '{text}'"));
            }
        }

        var addOn = ParseFlag(options.AddOn, $"{path}:AddOn", problems);
        var repeatable = ParseFlag(options.Repeatable, $"{path}:Repeatable", problems);
        if (limits.Count < options.Limits.Count || addOn is null || repeatable is null)
        {
            return null;
        }

        var plan = Plan.Create(options.Id, options.Name, options.Features, limits, addOn.Value, repeatable.Value);
        if (plan.IsSuccess)
        {
            return plan.Value;
        }

        var error = plan.Error;
        if (error == CatalogErrors.PlanIdInvalid)
        {
            problems.Add(Problem($"{path}:Id", $"'{options.Id}': {error.Message}"));
        }
        else if (error == CatalogErrors.PlanNameRequired)
        {
            problems.Add(Problem($"{path}:Name", error.Message));
        }
        else
        {
            problems.Add(Problem(LocateFeature(options.Features, limits, path), error.Message));
        }

        return null;
    }

    /// <summary>Finds the feature or limit the domain rejected by asking the domain about each one in turn.</summary>
    private static string LocateFeature(List<string> features, Dictionary<string, long> limitsPerPeriod, string path)
    {
        var seen = new List<string>();
        for (var k = 0; k < features.Count; k++)
        {
            seen.Add(features[k]);
            if (Plan.Create("probe", "probe", seen, new Dictionary<string, long>()).IsFailure)
            {
                return $"{path}:Features:{k}";
            }
        }

        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (feature, limit) in limitsPerPeriod)
        {
            limits[feature] = limit;
            if (Plan.Create("probe", "probe", features, limits).IsFailure)
            {
                return $"{path}:Limits:{feature}";
            }
        }

        return path;
    }

    private static Price? BuildPrice(PriceOptions options, string? planId, string path, List<string> problems)
    {
        var count = problems.Count;
        if (!TryParseWhole(options.Amount, out var amount))
        {
            problems.Add(Problem($"{path}:Amount", $"must be a whole number of minor units (1900 for 19.00), not '{options.Amount}'"));
        }

        var money = Money.Create(amount, options.Currency);
        if (money.IsFailure)
        {
            problems.Add(Problem($"{path}:Currency", $"'{options.Currency}': {money.Error.Message}"));
        }

        var interval = ParseInterval(options.Interval);
        if (interval is null)
        {
            problems.Add(Problem($"{path}:Interval", $"must be 'month', 'year' or 'one_time', not '{options.Interval}'"));
        }

        var active = true;
        if (!string.IsNullOrWhiteSpace(options.Active) && !bool.TryParse(options.Active, out active))
        {
            problems.Add(Problem($"{path}:Active", $"must be 'true' or 'false', not '{options.Active}'"));
        }

        if (problems.Count > count)
        {
            return null;
        }

        var price = Price.Create(options.Id, planId, money.Value, interval!.Value, options.ProviderPriceIds, active);
        if (price.IsSuccess)
        {
            return price.Value;
        }

        var error = price.Error;
        var at = error == CatalogErrors.PriceIdInvalid ? $"{path}:Id"
            : error == CatalogErrors.AmountNegative ? $"{path}:Amount"
            : error == CatalogErrors.PlanIdInvalid ? path[..path.LastIndexOf(":Prices:", StringComparison.Ordinal)] + ":Id"
            : LocateProviderPriceId(options, path);
        problems.Add(Problem(at, error.Message));
        return null;
    }

    private static string LocateProviderPriceId(PriceOptions options, string path)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (provider, providerPriceId) in options.ProviderPriceIds)
        {
            seen[provider] = providerPriceId;
            if (Price.Create("probe", "probe", Money.Zero("EUR"), BillingInterval.Month, seen, true).IsFailure)
            {
                return $"{path}:ProviderPriceIds:{provider}";
            }
        }

        return $"{path}:ProviderPriceIds";
    }

    private static bool TryParseWhole(string? text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);

    private static BillingInterval? ParseInterval(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "month" => BillingInterval.Month,
        "year" => BillingInterval.Year,
        "one_time" => BillingInterval.OneTime,
        _ => null,
    };

    private static string Problem(string path, string message) =>
        $"{path} (env {path.Replace(":", "__", StringComparison.Ordinal)}) {message}";
}

internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var (_, problems) = BillingCatalogBuilder.Build(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
