using FluentValidation;
using MediatR;
using Monolith.Application.Common.Jobs;
using Monolith.Application.Common.Messaging;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Common;

namespace Monolith.Application.Ops.Jobs.TriggerRecurringJob;

/// <summary>
/// "Trigger now" for one recurring job (it runs once, on whichever instance picks it up). Audited (<c>job.trigger</c>):
/// the audit row commits only when the scheduler accepted the trigger.
/// </summary>
public sealed record TriggerRecurringJobCommand(string Name) : ICommand<Unit>, IOpsRequest;

internal sealed class TriggerRecurringJobValidator : AbstractValidator<TriggerRecurringJobCommand>
{
    public TriggerRecurringJobValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
}

internal sealed class TriggerRecurringJobHandler(IRecurringJobs jobs, OpsAuditTrail audit) : IRequestHandler<TriggerRecurringJobCommand, Result<Unit>>
{
    public async Task<Result<Unit>> Handle(TriggerRecurringJobCommand request, CancellationToken cancellationToken)
    {
        var triggered = await jobs.TriggerAsync(request.Name, cancellationToken);
        if (triggered.IsFailure)
        {
            return triggered.Error;
        }

        await audit.RecordAsync(OpsActions.JobTrigger, "job", request.Name, null, cancellationToken);
        return Unit.Value;
    }
}
