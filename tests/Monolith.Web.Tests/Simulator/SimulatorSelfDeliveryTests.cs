using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Simulator;

/// <summary>With no WebhookBaseUrl, the simulator posts to the app's own listening address (Kestrel on 127.0.0.1).</summary>
public sealed class SimulatorSelfDeliveryTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory? _factory;
    private Uri? _baseAddress;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database);
        _baseAddress = _factory.StartKestrel();
    }

    [Fact]
    public async Task Checkout_WithoutWebhookBaseUrl_PostsToTheAppsOwnAddress()
    {
        var services = _factory!.Services;
        var port = services.GetRequiredService<IPaymentsPort>();
        var account = Guid.NewGuid();
        var customer = await port.CreateCustomerAsync(new CreateCustomerRequest(account, Guid.NewGuid(), null, null), "c", default);
        var session = await port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(account, customer.Value, CheckoutMode.Subscription, "sim_price_pro_monthly", 1, null,
                new Uri(_baseAddress!, "/billing/success"), new Uri(_baseAddress!, "/billing/canceled")), "s", default);
        Assert.Equal(_baseAddress!.GetLeftPart(UriPartial.Authority), session.Value.Url.GetLeftPart(UriPartial.Authority));

        services.GetRequiredService<SimulatorState>().SubmitCard(session.Value.ProviderSessionId, "4242424242424242");

        var dispatcher = services.GetRequiredService<SimulatorWebhookDispatcher>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (!dispatcher.RecentDeliveries.Any(d => d.Outcome.StartsWith("HTTP ", StringComparison.Ordinal)) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // A real HTTP answer from the app itself (whatever its status until the webhook endpoint exists).
        Assert.Contains(dispatcher.RecentDeliveries, d => d.Outcome.StartsWith("HTTP ", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}
