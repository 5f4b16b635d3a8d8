using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Common;

public static class OpsErrors
{
    public static readonly Error DeliveryProcessing = Error.Conflict(
        "ops.delivery.processing", "A worker holds this delivery right now; wait for it to finish before deleting it.");

    public static readonly Error WebhookEventNotFound = Error.NotFound(
        "ops.webhook.not_found", "Webhook event not found.");

    public static Error WebhookEventFinal(string status) => Error.Rule(
        "ops.webhook.reapply_final", $"A webhook event that is {status} is final and cannot be re-applied.");

    public static Error WebhookStillParked(string detail) => Error.Rule(
        "ops.webhook.still_parked", $"The event is still waiting for its account: {detail}");

    public static readonly Error OrganizationNotFound = Error.NotFound(
        "ops.organization.not_found", "Organisation not found.");
}
