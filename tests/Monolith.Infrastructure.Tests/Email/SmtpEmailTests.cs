using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monolith.Application.Common.Outbox;
using Monolith.Domain.Billing.Accounts;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Email;
using Monolith.Infrastructure.Outbox;
using Monolith.Infrastructure.Tests.Billing.Stripe;
using Monolith.Infrastructure.Tests.Outbox;
using Monolith.TestSupport;
using Monolith.TestSupport.Email;

namespace Monolith.Infrastructure.Tests.Email;

/// <summary>
/// The MailKit SMTP sender against a real SMTP server on 127.0.0.1 (written in the test suite, AUTH required), driven
/// by the outbox.
/// </summary>
public sealed class SmtpEmailTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private const string ReceiptHandler = "billing.email.receipt";
    private const string UserName = "monolith";
    private const string Password = "s3cret-smtp-password";
    private readonly SmtpTestServer _smtp = new((UserName, Password));
    private readonly RecordingLoggerProvider _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private ApplicationHost Host(bool workers, int port, string password = Password) => new(database,
        services => services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)),
        new Dictionary<string, string?>
    {
        ["Outbox:Workers:Enabled"] = workers ? "true" : "false",
        ["Outbox:PollInterval"] = "00:00:00.100",
        ["Email:Sender"] = "Smtp",
        ["Email:From"] = "Monolith Billing <billing@monolith.test>",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:EnableSsl"] = "false",
        ["Email:Smtp:UserName"] = UserName,
        ["Email:Smtp:Password"] = password,
        ["App:PublicBaseUrl"] = "https://billing.monolith.test",
    });

    [Fact]
    public async Task PaymentCommit_ReachesTheSmtpServer_AsAReceiptWithAbsoluteLinks()
    {
        await using var host = Host(workers: true, _smtp.Port);
        var worker = host.Services.GetServices<IHostedService>().OfType<OutboxBackgroundService>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var (email, accountId) = await OwnerWithAccountAsync(host);
            await CapturedPaymentAsync(host, accountId, 1999, "USD");

            await OutboxTestHost.WaitUntilAsync(() => Task.FromResult(_smtp.Received.Any(m => m.Recipients.Contains(email))),
                TimeSpan.FromSeconds(30), "the receipt to reach the SMTP server");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var received = Assert.Single(_smtp.Received);
        Assert.Equal("billing@monolith.test", received.MailFrom);
        Assert.Equal(UserName, received.AuthenticatedAs);
        var mail = received.Parse();
        Assert.Equal("Receipt: 19.99 USD paid", mail.Subject);
        Assert.Contains("billing@monolith.test", mail.Header("from"), StringComparison.Ordinal);
        Assert.Contains(Assert.Single(received.Recipients), mail.Header("to"), StringComparison.Ordinal);
        Assert.StartsWith("multipart/alternative", mail.Header("content-type"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{ReceiptHandler}@monolith.test>", mail.Header("message-id"), StringComparison.Ordinal);
        Assert.NotNull(mail.Text);
        Assert.NotNull(mail.Html);
        Assert.Contains("We received your payment of 19.99 USD", mail.Text, StringComparison.Ordinal);
        // ApplicationHost's origin stands in for App:PublicBaseUrl (the web app's IAppOrigin reads that setting).
        Assert.Contains($"View your billing history: {ApplicationHost.Origin.AbsoluteUri}billing", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{ApplicationHost.Origin.AbsoluteUri}billing\">View your billing history</a>", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, received.Data, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, line => line.Contains("sent through 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SmtpRefusingTheCredentials_FailsTheDeliveryWithAStableCode_AndNeverShowsThePassword()
    {
        const string wrongPassword = "wr0ng-smtp-password";
        await using var host = Host(workers: false, _smtp.Port, wrongPassword);
        var (_, accountId) = await OwnerWithAccountAsync(host);
        await CapturedPaymentAsync(host, accountId);

        await host.Engine().DrainAsync(CancellationToken.None);

        var delivery = await ReceiptDeliveryAsync(host, accountId);
        Assert.Equal(OutboxDeliveryState.Failed, delivery.State);
        Assert.StartsWith("email.send_failed", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{_smtp.Port}", delivery.LastError, StringComparison.Ordinal);
        Assert.NotEqual(0, _smtp.RefusedLogins); // MailKit tries each offered mechanism (PLAIN, then LOGIN)
        Assert.Empty(_smtp.Received);
        Assert.DoesNotContain(wrongPassword, delivery.LastError, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, line => line.Contains("could not be sent through 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(wrongPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SmtpRefusing_FailsTheDeliveryWithAStableCode_AndARetrySendsIt()
    {
        await using var host = Host(workers: false, _smtp.Port);
        var (email, accountId) = await OwnerWithAccountAsync(host);
        await CapturedPaymentAsync(host, accountId);
        _smtp.RefuseMail = true;

        await host.Engine().DrainAsync(CancellationToken.None);

        var delivery = await ReceiptDeliveryAsync(host, accountId);
        Assert.Equal(OutboxDeliveryState.Failed, delivery.State);
        Assert.StartsWith("email.send_failed", delivery.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, delivery.LastError, StringComparison.Ordinal);
        Assert.Empty(_smtp.Received);

        _smtp.RefuseMail = false;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<IOutboxOperations>().RetryNowAsync(delivery.Id)).IsSuccess);
        }

        await host.Engine().DrainAsync(CancellationToken.None);

        Assert.Equal(OutboxDeliveryState.Succeeded, (await ReceiptDeliveryAsync(host, accountId)).State);
        Assert.Equal([email], Assert.Single(_smtp.Received).Recipients);
    }

    [Fact]
    public async Task SmtpSenderWithoutHostOrPublicOrigin_FailsValidationNamingTheSettings()
    {
        await using var host = new ApplicationHost(database, settings: new Dictionary<string, string?>
        {
            ["Email:Sender"] = "Smtp",
            ["Email:Smtp:UserName"] = "monolith",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.Contains("Email:Smtp:Host", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Email:Smtp:UserName and Email:Smtp:Password", failure.Message, StringComparison.Ordinal);
        Assert.Contains("App:PublicBaseUrl", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 465, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(true, 587, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(true, 25, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(false, 465, MailKit.Security.SecureSocketOptions.None)]
    [InlineData(false, 25, MailKit.Security.SecureSocketOptions.None)]
    public void EnableSsl_IsImplicitTlsOn465_AndRequiredStartTlsElsewhere(bool enableSsl, int port, MailKit.Security.SecureSocketOptions expected) =>
        Assert.Equal(expected, SmtpEmailSender.Security(new SmtpEmailOptions { Host = "smtp.example.test", Port = port, EnableSsl = enableSsl }));

    [Fact]
    public void SmtpSettings_PrintedForDiagnostics_NeverShowThePassword()
    {
        var text = new SmtpEmailOptions { Host = "smtp.example.test", UserName = "u", Password = Password }.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Contains("smtp.example.test", text, StringComparison.Ordinal);
    }

    private static Task<OutboxDelivery> ReceiptDeliveryAsync(ApplicationHost host, Guid accountId) =>
        host.QueryDbAsync(db => db.OutboxDeliveries.AsNoTracking().SingleAsync(d =>
            d.Handler == ReceiptHandler && db.OutboxMessages.Any(m => m.Id == d.MessageId && m.Payload.Contains(accountId.ToString()))));

    internal static async Task<(string Email, Guid AccountId)> OwnerWithAccountAsync(ApplicationHost host)
    {
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        var owner = await host.RegisterAsync(email);
        var accountId = await host.QueryDbAsync(async db =>
        {
            var account = BillingAccount.Open(Guid.NewGuid(), owner.PersonalOrganizationId, DateTimeOffset.UtcNow).Value;
            db.BillingAccounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        return (email, accountId);
    }

    internal static Task CapturedPaymentAsync(ApplicationHost host, Guid accountId, long amountMinor = 4900, string currency = "EUR") =>
        host.QueryDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var amount = Money.Create(amountMinor, currency).Value;
            var payment = Payment.Initiate(Guid.NewGuid(), accountId, "inmemory", $"pi_{Guid.NewGuid():N}", PaymentKind.OneTime, amount, null, now).Value;
            Assert.True(payment.MarkSucceeded($"ch_{Guid.NewGuid():N}", amount, now).IsSuccess);
            db.Payments.Add(payment);
            return await db.SaveChangesAsync();
        });
}
