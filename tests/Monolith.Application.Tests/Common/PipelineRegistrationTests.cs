using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Common;
using Monolith.Application.Common.Behaviours;

namespace Monolith.Application.Tests.Common;

/// <summary>What <c>AddApplication</c> registers: every behaviour once in the STYLE.md order, handlers and validators scoped.</summary>
public sealed class PipelineRegistrationTests
{
    private static readonly ServiceCollection Services = Registered();

    private static ServiceCollection Registered()
    {
        var services = new ServiceCollection();
        services.AddApplication();
        return services;
    }

    [Fact]
    public void Behaviours_EveryOneInTheAssembly_RegisteredOnceInTheDocumentedOrder()
    {
        var registered = Services
            .Where(d => d.ServiceType == typeof(IPipelineBehavior<,>))
            .Select(d => d.ImplementationType)
            .ToArray();
        var declared = ApplicationAssembly.Reference.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPipelineBehavior<,>)))
            .ToHashSet();

        Assert.Equal(
            [typeof(LoggingBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(IdempotencyBehaviour<,>), typeof(TransactionBehaviour<,>)],
            registered);
        Assert.Equal(declared.OrderBy(t => t.Name), registered.OrderBy(t => t!.Name));
    }

    [Fact]
    public void HandlersAndValidators_FoundByScanning_AreScoped()
    {
        var handler = Assert.Single(Services, d => d.ServiceType == typeof(IRequestHandler<CreateOrganizationCommand, Domain.Common.Result<CreateOrganizationResult>>));
        var validator = Assert.Single(Services, d => d.ServiceType == typeof(IValidator<CreateOrganizationCommand>));

        Assert.Equal(ServiceLifetime.Scoped, handler.Lifetime);
        Assert.Equal(typeof(CreateOrganizationValidator), validator.ImplementationType);
        Assert.Equal(ServiceLifetime.Scoped, validator.Lifetime);
    }
}
