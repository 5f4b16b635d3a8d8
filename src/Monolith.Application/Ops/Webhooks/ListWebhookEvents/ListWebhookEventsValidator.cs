using FluentValidation;

namespace Monolith.Application.Ops.Webhooks.ListWebhookEvents;

internal sealed class ListWebhookEventsValidator : AbstractValidator<ListWebhookEventsQuery>
{
    public ListWebhookEventsValidator()
    {
        RuleFor(q => q.EventId).MaximumLength(255);
        RuleFor(q => q.Type).MaximumLength(255);
        RuleFor(q => q.Account).MaximumLength(255);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Page).GreaterThan(0);
    }
}
