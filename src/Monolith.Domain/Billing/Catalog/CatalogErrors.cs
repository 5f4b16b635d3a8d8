using Monolith.Domain.Common;

namespace Monolith.Domain.Billing.Catalog;

public static class CatalogErrors
{
    public static readonly Error PlanIdInvalid =
        Error.Validation("billing.catalog.plan_id_invalid", "A plan id is a lower-case slug (a-z, 0-9, '-', '_') of at most 64 characters.");

    public static readonly Error PlanNameRequired =
        Error.Validation("billing.catalog.plan_name_required", "A plan needs a name.");

    public static readonly Error FeatureIdInvalid =
        Error.Validation("billing.catalog.feature_id_invalid", "A feature id is a lower-case slug (a-z, 0-9, '-', '_') of at most 64 characters.");

    public static readonly Error FeatureDeclaredTwice =
        Error.Validation("billing.catalog.feature_declared_twice", "A feature is either a boolean feature or a limit of a plan, and appears once.");

    public static readonly Error LimitNegative =
        Error.Validation("billing.catalog.limit_negative", "A limit per billing period cannot be negative.");

    public static readonly Error PriceIdInvalid =
        Error.Validation("billing.catalog.price_id_invalid", "A price id is a lower-case slug (a-z, 0-9, '-', '_') of at most 64 characters.");

    public static readonly Error AmountNegative =
        Error.Validation("billing.catalog.amount_negative", "A price cannot be negative.");

    public static readonly Error ProviderPriceIdInvalid =
        Error.Validation("billing.catalog.provider_price_id_invalid", "A provider price id must not be blank.");

    public static readonly Error DuplicatePlan =
        Error.Validation("billing.catalog.duplicate_plan", "Two plans share an id.");

    public static readonly Error DuplicatePrice =
        Error.Validation("billing.catalog.duplicate_price", "Two prices share an id.");

    public static readonly Error DuplicateProviderPrice =
        Error.Validation("billing.catalog.duplicate_provider_price", "Two prices share a provider price id.");

    public static readonly Error PriceOfUnknownPlan =
        Error.Validation("billing.catalog.price_of_unknown_plan", "A price refers to a plan that is not in the catalogue.");

    public static readonly Error PriceNotFound =
        Error.NotFound("billing.catalog.price_not_found", "That price is not in the catalogue.");

    public static readonly Error PlanNotFound =
        Error.NotFound("billing.catalog.plan_not_found", "That plan is not in the catalogue.");
}
