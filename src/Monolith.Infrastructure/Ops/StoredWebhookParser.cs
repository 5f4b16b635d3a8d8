using System.Text;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Ops.Webhooks;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Billing.Payments.Stripe;

namespace Monolith.Infrastructure.Ops;

/// <summary>The providers' own normalizers, without the signature step (the stored body was verified on arrival).</summary>
internal sealed class StoredWebhookParser(PlanCatalog catalog) : IStoredWebhookParser
{
    public static readonly Error ProviderUnknown =
        Error.Rule("ops.webhook.provider_unknown", "No normalizer exists for this event's provider.");

    public Result<ParsedWebhook> Parse(string provider, string payload)
    {
        return provider switch
        {
            BillingProvider.InMemory => new SimulatorEventNormalizer(catalog).Normalize(Encoding.UTF8.GetBytes(payload)),
            BillingProvider.Stripe => new StripeEventNormalizer(catalog).Normalize(payload),
            _ => ProviderUnknown,
        };
    }
}
