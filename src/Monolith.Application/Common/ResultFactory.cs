using System.Collections.Concurrent;
using System.Reflection;
using Monolith.Domain.Common;

namespace Monolith.Application.Common;

/// <summary>Builds a failed <c>Result</c>/<c>Result&lt;T&gt;</c> for a pipeline whose response type is only known generically.</summary>
internal static class ResultFactory
{
    private static readonly ConcurrentDictionary<Type, Func<Error, object>> Factories = new();

    public static TResponse Failure<TResponse>(Error error)
    {
        var factory = Factories.GetOrAdd(typeof(TResponse), static type =>
        {
            if (type == typeof(Result))
            {
                return e => Result.Failure(e);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Result<>))
            {
                var method = type.GetMethod(nameof(Result.Failure), BindingFlags.Public | BindingFlags.Static, [typeof(Error)])!;
                return e => method.Invoke(null, [e])!;
            }

            throw new InvalidOperationException($"{type} is not a Result; every request must return Result or Result<T>.");
        });
        return (TResponse)factory(error);
    }
}
