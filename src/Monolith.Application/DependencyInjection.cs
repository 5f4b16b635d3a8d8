using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Behaviours;

namespace Monolith.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1 (no AddMediatR exists for it) with its handlers found by Scrutor, validators by FluentValidation's
    /// <c>AddValidatorsFromAssembly</c>, behaviours in their fixed order.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;
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
        services.AddScoped<Billing.Payments.RefundIssuer>();

        services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableToAny(typeof(IRequestHandler<,>), typeof(INotificationHandler<>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithScopedLifetime());
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Scoped, includeInternalTypes: true);

        // Registration order is execution order, outermost first (STYLE.md): one line per behaviour, never scanned —
        // a scan registers in metadata order, which would run authorization before logging. PipelineRegistrationTests
        // fails when a behaviour exists that is not listed here.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(IdempotencyBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehaviour<,>));
        return services;
    }
}
