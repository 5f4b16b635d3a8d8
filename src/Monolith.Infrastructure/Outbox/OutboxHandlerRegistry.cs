using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Outbox;

/// <summary>One handler of one event type: its stable name and how to call it in a given scope.</summary>
internal sealed class OutboxHandlerBinding
{
    private static readonly MethodInfo InvokeMethod = typeof(OutboxHandlerBinding).GetMethod(nameof(InvokeTyped), BindingFlags.NonPublic | BindingFlags.Static)!;
    private readonly Func<IServiceProvider, object, OutboxContext, CancellationToken, Task<Result>> _invoke;

    public OutboxHandlerBinding(Type eventType, string name)
    {
        EventType = eventType;
        Name = name;
        _invoke = InvokeMethod.MakeGenericMethod(eventType)
            .CreateDelegate<Func<IServiceProvider, object, OutboxContext, CancellationToken, Task<Result>>>();
    }

    public Type EventType { get; }
    public string Name { get; }

    public Task<Result> InvokeAsync(IServiceProvider scope, object domainEvent, OutboxContext context, CancellationToken ct) =>
        _invoke(scope, domainEvent, context, ct);

    private static Task<Result> InvokeTyped<TEvent>(IServiceProvider scope, object domainEvent, OutboxContext context, CancellationToken ct)
        where TEvent : IDomainEvent
    {
        var handler = scope.GetServices<IOutboxHandler<TEvent>>().FirstOrDefault(h => h.Name == context.HandlerName)
            ?? throw new InvalidOperationException($"Outbox handler '{context.HandlerName}' is no longer registered.");
        return handler.HandleAsync((TEvent)domainEvent, context, ct);
    }
}

/// <summary>The names of the handlers registered for an outbox message type (what <c>AppDbContext</c> fans out to at commit).</summary>
public interface IOutboxHandlerNames
{
    IEnumerable<string> For(string eventType);
}

/// <summary>The registrations of <see cref="IOutboxHandler{TEvent}"/> (kept so the registry can read them after the build).</summary>
internal sealed class OutboxHandlerCatalog(IServiceCollection services)
{
    public IReadOnlyList<Type> EventTypes() => services
        .Select(d => d.ServiceType)
        .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOutboxHandler<>))
        .Select(t => t.GenericTypeArguments[0])
        .Distinct()
        .ToList();
}

/// <summary>
/// Which handlers consume which outbox message type (keyed by the event's CLR type name, as AppDbContext writes it).
/// Built once, on first use; duplicate or invalid handler names fail loudly.
/// </summary>
internal sealed class OutboxHandlerRegistry(OutboxHandlerCatalog catalog, IServiceScopeFactory scopes) : IOutboxHandlerNames
{
    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<OutboxHandlerBinding>>> _byType = new(() => Build(catalog, scopes));

    public IReadOnlyList<OutboxHandlerBinding> HandlersFor(string eventType) =>
        _byType.Value.TryGetValue(eventType, out var handlers) ? handlers : [];

    IEnumerable<string> IOutboxHandlerNames.For(string eventType) => HandlersFor(eventType).Select(h => h.Name);

    public OutboxHandlerBinding? Find(string eventType, string handler) =>
        HandlersFor(eventType).FirstOrDefault(h => h.Name == handler);

    private static Dictionary<string, IReadOnlyList<OutboxHandlerBinding>> Build(OutboxHandlerCatalog catalog, IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var result = new Dictionary<string, IReadOnlyList<OutboxHandlerBinding>>(StringComparer.Ordinal);
        foreach (var eventType in catalog.EventTypes())
        {
            if (result.ContainsKey(eventType.Name))
            {
                throw new InvalidOperationException($"Two outbox event types are named '{eventType.Name}'; outbox rows are keyed by the type name.");
            }

            var nameProperty = typeof(IOutboxHandler<>).MakeGenericType(eventType).GetProperty(nameof(IOutboxHandler<IDomainEvent>.Name))!;
            var names = scope.ServiceProvider.GetServices(typeof(IOutboxHandler<>).MakeGenericType(eventType))
                .Select(h => (string?)nameProperty.GetValue(h) ?? string.Empty)
                .ToList();
            foreach (var name in names)
            {
                if (string.IsNullOrWhiteSpace(name) || name.Length > OutboxDelivery.HandlerMaxLength)
                {
                    throw new InvalidOperationException($"An outbox handler of {eventType.Name} has an empty or too long Name (max {OutboxDelivery.HandlerMaxLength}).");
                }
            }

            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidOperationException($"Two outbox handlers of {eventType.Name} are named '{duplicate.Key}'.");
            }

            result[eventType.Name] = names.Select(n => new OutboxHandlerBinding(eventType, n)).ToList();
        }

        return result;
    }
}
