using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Simulator;

/// <summary>
/// The simulator's customer identity, like Stripe's: created with the organisation's name and the owner's email,
/// renamed from the outbox, and its customer.updated webhook (delivered by the simulator itself) updating the account's
/// billing email.
/// </summary>
public sealed class SimulatorCustomerIdentityTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _factory = null!;
    private Uri _baseAddress = null!;

    private SimulatorState Simulator => _factory.Services.GetRequiredService<SimulatorState>();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database);
        _baseAddress = _factory.StartKestrel();
    }

    [Fact]
    public async Task Customer_CarriesNameAndEmail_IsRenamedAndItsEmailChangeReachesTheAccount()
    {
        var ownerEmail = $"sim-identity-{Guid.NewGuid():N}@example.test";
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = _baseAddress });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = ownerEmail, ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect, $"Registration failed with {(int)registered.StatusCode}.");
        var organization = (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray().Single(o => o.GetProperty("isPersonal").GetBoolean());
        var organizationId = Guid.Parse(organization.GetProperty("organizationId").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "pro-monthly" })).StatusCode);

        var customerId = await QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId)
            .SelectMany(a => a.Customers).Select(c => c.CustomerId).SingleAsync());
        var customer = Simulator.FindCustomer(customerId)!;
        Assert.Equal((organization.GetProperty("name").GetString(), ownerEmail), (customer.Name, customer.Email));

        var details = await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}");
        var renamed = await client.PutAsJsonAsync(
            $"/api/organizations/{organizationId}/name", new { name = "Simulated Org Ltd", expectedVersion = details.GetProperty("version").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        await WaitForAsync("the simulator's customer to be renamed", () =>
            Task.FromResult(Simulator.FindCustomer(customerId)!.Name == "Simulated Org Ltd" ? true : (bool?)null));

        Assert.True(Simulator.ChangeCustomerEmail(customerId, "finance@simulated.test").IsSuccess);

        await WaitForAsync("customer.updated to set the billing email", async () =>
            await QueryAsync(db => db.BillingAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId).Select(a => a.BillingEmail).SingleAsync())
                == "finance@simulated.test" ? true : (bool?)null);
        Assert.Equal("Simulated Org Ltd", Simulator.FindCustomer(customerId)!.Name);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static async Task WaitForAsync(string what, Func<Task<bool?>> probe)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (await probe() is null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
