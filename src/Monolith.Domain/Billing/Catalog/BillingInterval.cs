namespace Monolith.Domain.Billing.Catalog;

public enum BillingInterval
{
    Month,
    Year,
    OneTime,
}
