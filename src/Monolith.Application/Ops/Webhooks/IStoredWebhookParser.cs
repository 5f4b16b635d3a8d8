using Monolith.Application.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Webhooks;

/// <summary>
/// Parses a webhook body already stored in the inbox (its signature was verified when it arrived, and signatures are
/// not kept) back into the normalized events, with the same normalizer the provider's port uses for live webhooks.
/// </summary>
public interface IStoredWebhookParser
{
    Result<ParsedWebhook> Parse(string provider, string payload);
}
