using FluentValidation;
using MediatR;
using Monolith.Domain.Common;

namespace Monolith.Application.Common.Behaviours;

/// <summary>Runs the request's FluentValidation validators (shape only) and turns failures into one validation error.</summary>
internal sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public const string Code = "validation.failed";

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next();
        }

        var details = failures
            .GroupBy(f => f.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var error = Error.Validation(Code, "One or more fields are invalid.") with { Details = details };
        return ResultFactory.Failure<TResponse>(error);
    }
}
