using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monolith.TestSupport.Stripe;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary>
/// Who the Stripe customer is: created with the organisation's name, the billing contact's email and metadata linking
/// it to the billing account; updated (from the outbox) when the organisation is renamed or the billing email changes
/// in the app; and a <c>customer.updated</c> from Stripe updates the account's billing email.
/// </summary>
public sealed class StripeCustomerIdentityTests(StripeWebApp app) : IClassFixture<StripeWebApp>
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task Customer_CarriesNameEmailAndMetadata_AndFollowsChangesInTheAppAndAtStripe()
    {
        var ownerEmail = $"identity-{Guid.NewGuid():N}@example.test";
        var client = await app.RegisterAsync(ownerEmail);
        var organizationId = await StripeWebApp.PersonalOrganizationAsync(client);
        var organization = await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}");

        Assert.Equal(HttpStatusCode.OK, (await StripeWebApp.CheckoutAsync(client, "pro-monthly")).StatusCode);

        var accountId = await app.BillingAccountIdAsync(organizationId);
        var created = Assert.Single(Stripe.To("POST", "/v1/customers"), r => r["metadata[organization_id]"] == organizationId.ToString());
        Assert.Equal(
            (organization.GetProperty("name").GetString(), ownerEmail, accountId.ToString()),
            (created["name"], created["email"], created["metadata[billing_account_id]"]));
        var customerId = Assert.Single(app.CustomersOf(organizationId));
        var customerPath = $"/v1/customers/{customerId}";

        // Renamed in the app: the customer gets the new name (and the email and metadata it already had).
        var renamed = await client.PutAsJsonAsync(
            $"/api/organizations/{organizationId}/name", new { name = "Acme Identity GmbH", expectedVersion = organization.GetProperty("version").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var nameSent = await UpdateSentAsync(customerPath, r => r["name"] == "Acme Identity GmbH");
        Assert.Equal(
            (ownerEmail, accountId.ToString(), organizationId.ToString()),
            (nameSent["email"], nameSent["metadata[billing_account_id]"], nameSent["metadata[organization_id]"]));
        Assert.StartsWith("customer-sync-", nameSent.Header("Idempotency-Key"), StringComparison.Ordinal);

        // The customer changes the email at Stripe: customer.updated updates our copy; redelivered, it is a duplicate.
        var echoes = await EchoAsync("Acme Identity GmbH");
        Stripe.ChangeCustomerEmail(customerId, "accounts@acme.test");
        var fromStripe = Assert.Single(Stripe.TakeEvents());
        Assert.Equal("customer.updated", fromStripe.Type);
        await app.DeliverAsync([fromStripe]);
        Assert.Equal("accounts@acme.test", await BillingEmailAsync(organizationId));
        var again = await app.DeliverAsync([fromStripe]);
        Assert.True(Assert.Single(again).GetProperty("duplicate").GetBoolean());

        // The older echo of our rename (still the owner's email) arrives late: it does not undo the newer change.
        await app.DeliverAsync(echoes);
        Assert.Equal("accounts@acme.test", await BillingEmailAsync(organizationId));

        // The next sync sends our copy, not the owner's email.
        organization = await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}");
        var renamedAgain = await client.PutAsJsonAsync(
            $"/api/organizations/{organizationId}/name", new { name = "Acme Identity AG", expectedVersion = organization.GetProperty("version").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, renamedAgain.StatusCode);
        Assert.Equal("accounts@acme.test", (await UpdateSentAsync(customerPath, r => r["name"] == "Acme Identity AG"))["email"]);

        // A billing email set in the app replaces it, at Stripe too; Stripe's echo of that update changes nothing.
        var changed = await client.PutAsJsonAsync("/api/billing/email", new { email = "billing@acme.test" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var emailSent = await UpdateSentAsync(customerPath, r => r["email"] == "billing@acme.test");
        Assert.Equal("Acme Identity AG", emailSent["name"]);
        await app.DeliverAsync(await EchoAsync("billing@acme.test"));
        Assert.Equal("billing@acme.test", await BillingEmailAsync(organizationId));
    }

    [Fact]
    public async Task BillingEmail_ThatIsNotAnEmail_IsRefusedWithItsCode()
    {
        var client = await app.RegisterAsync();

        var response = await client.PutAsJsonAsync("/api/billing/email", new { email = "not an email" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("billing.account.email_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private Task<string?> BillingEmailAsync(Guid organizationId) =>
        app.QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId).Select(a => a.BillingEmail).SingleAsync());

    /// <summary>The events queued so far, once a customer.updated carrying <paramref name="text"/> is among them.</summary>
    private async Task<List<FakeStripeEvent>> EchoAsync(string text)
    {
        var events = new List<FakeStripeEvent>();
        await Poll.WaitForAsync($"customer.updated with {text}", () =>
        {
            events.AddRange(Stripe.TakeEvents());
            return Task.FromResult(events.Any(e => e.Type == "customer.updated" && Encoding.UTF8.GetString(e.Body).Contains(text, StringComparison.Ordinal))
                ? true : (bool?)null);
        });
        return events;
    }

    private async Task<FakeStripeRequest> UpdateSentAsync(string path, Func<FakeStripeRequest, bool> match)
    {
        await Poll.WaitForAsync($"an update of {path}", () => Task.FromResult(Stripe.To("POST", path).Any(match) ? true : (bool?)null));
        return Stripe.To("POST", path).First(match);
    }
}
