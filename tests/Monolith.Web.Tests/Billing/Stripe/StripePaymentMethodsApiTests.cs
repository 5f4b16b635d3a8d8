using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary><c>GET /api/billing/payment-methods</c> on Stripe: the escape-hatch port (docs/stripe.md) reached through the app.</summary>
public sealed class StripePaymentMethodsApiTests(StripeWebApp app) : IClassFixture<StripeWebApp>
{
    [Fact]
    public async Task PaymentMethods_BeforeAndAfterACardIsSaved_ListsWhatStripeHolds()
    {
        var client = await app.RegisterAsync();
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/billing/payment-methods")).EnumerateArray()); // no customer yet

        Assert.Equal(HttpStatusCode.OK, (await StripeWebApp.CheckoutAsync(client, "pro-monthly")).StatusCode);
        var customerId = Assert.Single(app.CustomersOf(organizationId));
        var card = app.Stripe.AttachCard(customerId, "visa", "1881", 3, 2032);

        var method = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/billing/payment-methods")).EnumerateArray());

        Assert.Equal(
            (card, "card", "visa", "1881", 3, 2032),
            (method.GetProperty("id").GetString(), method.GetProperty("type").GetString(), method.GetProperty("brand").GetString(),
                method.GetProperty("last4").GetString(), method.GetProperty("expMonth").GetInt32(), method.GetProperty("expYear").GetInt32()));
        Assert.Single(app.Stripe.To("GET", $"/v1/customers/{customerId}/payment_methods"));
    }
}
