using Microsoft.Extensions.Options;
using Monolith.Domain.Billing.Catalog;

namespace Monolith.Infrastructure.Billing.Entitlements;

/// <summary><c>Billing:DefaultPlan</c>: the plan every billing account has without a subscription (e.g. "free"); empty for none.</summary>
public sealed class EntitlementOptions
{
    public string? DefaultPlan { get; set; }
}

internal sealed class EntitlementOptionsValidator(PlanCatalog catalog) : IValidateOptions<EntitlementOptions>
{
    public ValidateOptionsResult Validate(string? name, EntitlementOptions options) =>
        options.DefaultPlan is not { Length: > 0 } plan || catalog.FindPlan(plan).IsSuccess
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Billing:DefaultPlan (env Billing__DefaultPlan) '{plan}' is not a plan in Billing:Plans.");
}
