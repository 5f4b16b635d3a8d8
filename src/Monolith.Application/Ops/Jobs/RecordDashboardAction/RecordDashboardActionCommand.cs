using FluentValidation;
using MediatR;
using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Jobs.RecordDashboardAction;

/// <summary>
/// An action ops took on the Hangfire dashboard (<c>/hangfire</c>: trigger now, requeue, delete…) after the dashboard
/// accepted it, audited as <c>hangfire.&lt;action&gt;</c> (e.g. <c>hangfire.recurring.trigger</c>) with the job or
/// recurring-job ids it named.
/// </summary>
public sealed record RecordDashboardActionCommand(string Action, string Targets) : ICommand<Unit>, IOpsRequest;

internal sealed class RecordDashboardActionValidator : AbstractValidator<RecordDashboardActionCommand>
{
    public RecordDashboardActionValidator()
    {
        RuleFor(c => c.Action).NotEmpty().MaximumLength(100);
        RuleFor(c => c.Targets).NotNull();
    }
}

internal sealed class RecordDashboardActionHandler(OpsAuditTrail audit) : IRequestHandler<RecordDashboardActionCommand, Result<Unit>>
{
    public async Task<Result<Unit>> Handle(RecordDashboardActionCommand request, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(OpsActions.Dashboard(request.Action), "hangfire", request.Targets, null, cancellationToken);
        return Unit.Value;
    }
}
