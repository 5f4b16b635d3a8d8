using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Monolith.Application.Common.Outbox;

public static class OutboxHandlerRegistration
{
    /// <summary>Every <see cref="IOutboxHandler{TEvent}"/> in <paramref name="assemblies"/>, found by Scrutor like the MediatR handlers.</summary>
    public static IServiceCollection AddOutboxHandlers(this IServiceCollection services, params Assembly[] assemblies)
    {
        services.Scan(scan => scan
            .FromAssemblies(assemblies.Length == 0 ? [typeof(OutboxHandlerRegistration).Assembly] : assemblies)
            .AddClasses(classes => classes.AssignableTo(typeof(IOutboxHandler<>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithScopedLifetime());
        return services;
    }
}
