using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Tests.Billing.Simulator;

namespace Monolith.Infrastructure.Tests.Billing.PaymentMethods;

/// <summary>The simulator's <see cref="IPaymentMethods"/>: the card entered on the simulated checkout, never its number.</summary>
public sealed class SimulatorPaymentMethodsTests
{
    [Fact]
    public async Task List_AfterACardWasEntered_ShowsItsBrandAndLastFour()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var (_, customerId, sessionId) = await sim.StartCheckoutAsync();
        var methods = sim.Services.GetRequiredService<IPaymentMethods>();
        Assert.Empty((await methods.ListAsync(customerId, default)).Value);

        sim.State.SubmitCard(sessionId, "4242424242424242");
        var listed = await methods.ListAsync(customerId, default);

        var card = Assert.Single(listed.Value);
        Assert.Equal(("card", "4242"), (card.Type, card.Last4));
        Assert.Equal(PaymentsErrors.NotFound.Code, (await methods.ListAsync("cus_missing", default)).Error?.Code);
    }
}
