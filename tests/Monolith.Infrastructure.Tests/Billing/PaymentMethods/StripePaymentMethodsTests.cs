using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.PaymentMethods;
using Monolith.Infrastructure.Tests.Billing.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.PaymentMethods;

/// <summary>
/// The escape hatch: <see cref="IPaymentMethods"/> on Stripe calls an endpoint the payments port does not model, through
/// the configured Stripe.net client — so it sends the same key and API version, gets the same retries and maps errors
/// like the port — against the fake Stripe on 127.0.0.1.
/// </summary>
public sealed class StripePaymentMethodsTests
{
    [Fact]
    public async Task List_ReadsTheCustomersCardsThroughTheConfiguredClient()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var customer = (await stripe.Port.CreateCustomerAsync(new CreateCustomerRequest(Guid.NewGuid(), Guid.NewGuid(), "a@acme.test", "Acme"), "k", default)).Value;
        var card = stripe.Fake.AttachCard(customer, "mastercard", "4444", 12, 2031);
        stripe.Fake.FailNext(500, path: $"/v1/customers/{customer}/payment_methods");
        var methods = stripe.Services.GetRequiredService<IPaymentMethods>();

        var listed = await methods.ListAsync(customer, default);

        Assert.IsType<StripePaymentMethods>(methods);
        Assert.True(listed.IsSuccess, listed.Error?.Code);
        Assert.Equal(new PaymentMethodSummary(card, "card", "mastercard", "4444", 12, 2031), Assert.Single(listed.Value));
        var requests = stripe.Fake.To("GET", $"/v1/customers/{customer}/payment_methods");
        Assert.Equal(2, requests.Length); // the 500, then Stripe.net's own retry
        Assert.All(requests, r => Assert.Equal(
            ("Bearer " + StripeHarness.SecretKey, global::Stripe.StripeConfiguration.ApiVersion, StripePaymentMethods.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (r.Header("Authorization"), r.Header("Stripe-Version"), r["limit"])));
    }

    [Fact]
    public async Task List_OfAnUnknownCustomer_IsThePortsNotFound()
    {
        await using var stripe = await StripeHarness.StartAsync();

        var listed = await stripe.Services.GetRequiredService<IPaymentMethods>().ListAsync("cus_missing", default);

        Assert.Equal(PaymentsErrors.NotFound.Code, listed.Error?.Code);
    }
}
