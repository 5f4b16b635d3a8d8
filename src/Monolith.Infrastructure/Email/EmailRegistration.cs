using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Notifications;
using Monolith.Application.Common.Email;

namespace Monolith.Infrastructure.Email;

internal static class EmailRegistration
{
    /// <summary>
    /// <c>Email:Sender</c> selects the <see cref="IEmailSender"/>: <c>Pickup</c> (default, a folder + the development
    /// mailbox page) or <c>Smtp</c>. Options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton(sp => new PickupMailbox(
            sp.GetRequiredService<IOptions<EmailOptions>>(), sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PickupEmailSender>();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Sender == EmailSenderKind.Smtp
            ? sp.GetRequiredService<SmtpEmailSender>()
            : sp.GetRequiredService<PickupEmailSender>());
        services.AddScoped<IBillingContacts, BillingContacts>();
        services.AddScoped<BillingEmails>();
        return services;
    }
}
