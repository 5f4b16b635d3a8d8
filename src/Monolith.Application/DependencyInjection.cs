using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Behaviours;

namespace Monolith.Application;

public static class DependencyInjection
{
    /// <summary>MediatR 5.1 (no AddMediatR exists for it), handlers and validators found by Scrutor, behaviours in fixed order.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<CommitContext>();
        services.AddScoped<Billing.Entitlements.FeatureBalances>();
        services.AddScoped<Billing.ProviderEvents.ProviderEventApplier>();
        services.AddScoped<Billing.Webhooks.InboxEventProcessor>();
        services.AddScoped<Billing.Checkout.RedirectPolicy>();
        services.AddScoped<Ops.Audit.OpsAuditTrail>();
        services.AddScoped<Billing.Reconciliation.BillingReconciler>();

        services.Scan(scan => scan
            .FromAssemblies(typeof(DependencyInjection).Assembly)
            .AddClasses(classes => classes.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithScopedLifetime()
            .AddClasses(classes => classes.AssignableTo(typeof(INotificationHandler<>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithScopedLifetime()
            .AddClasses(classes => classes.AssignableTo(typeof(IValidator<>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithScopedLifetime());

        // Registration order is execution order, outermost first (STYLE.md): one line per behaviour, never scanned.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(IdempotencyBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehaviour<,>));
        return services;
    }
}
